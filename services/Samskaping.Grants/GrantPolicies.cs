using Samskaping.ServiceDefaults;

namespace Samskaping.Grants;

/// <summary>Who may do what in grants, beyond the shared policies.</summary>
public static class GrantPolicies
{
    /// <summary>
    /// The roles that may manage funds: create them, top them up, move money out of them and read their ledgers. Which
    /// funds, <see cref="ManagesFund"/> decides.
    /// </summary>
    public const string FundManager = "grants-fund-manager";

    /// <summary>Sees the list of funds and their rules (balances only where <see cref="ManagesFund"/>).</summary>
    public const string FundReader = "grants-fund-reader";

    /// <summary>Sees aggregated reports: fund managers and analysts.</summary>
    public const string Reports = "grants-reports";

    /// <summary>The rule of <see cref="ManagesFund"/>, as the API documents and problems say it.</summary>
    public const string FundManagers = "a fund is managed by the grant-approvers of the fund's owning sector (its owner) and by admins; " +
        "a fund whose owner is a programme rather than a sector, by admins alone.";

    /// <summary>
    /// A fund belongs to the sector that owns it: its grant-approvers manage it (money in, money out, ledger, balances),
    /// and admins manage every fund. Other sectors see that it exists and its rules, since their caseworkers request
    /// grants from it; a fund is the municipality's budget, not a person's data.
    /// </summary>
    public static bool ManagesFund(CurrentUser user, string owner) =>
        user.HasRole(Roles.Admin) || (user.HasRole(Roles.GrantApprover) && user.Sector == owner);

    /// <summary>403, not 404: every sector's staff sees that the fund exists and its rules (<see cref="ManagesFund"/>).</summary>
    public static Refusal NotFundManager(string owner) =>
        Refusal.Forbidden("Only the fund's managers may do this.", $"The fund belongs to '{owner}': {FundManagers}");
}
