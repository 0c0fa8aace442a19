using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.Grants.Ledger;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants;

/// <summary>
/// The problem answers of the grants API. A body that cannot be read is 400 (ServiceDefaults); a body that
/// is well-formed but whose values are not acceptable (a negative or three-decimal amount, a bad account
/// number, an unknown fund) is 422 naming each field; a rule of the current state (not enough money, the cap,
/// four eyes) is 409 or 403 saying which rule.
/// </summary>
public static class GrantsProblems
{
    public static ProblemHttpResult Invalid(ValidationErrors errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary())
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Some values are not acceptable.",
            Detail = "See errors: each names a field of the request and what is wrong with it.",
        });

    public static ProblemHttpResult Invalid(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return Invalid(errors);
    }

    public static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);

    public static ProblemHttpResult Forbidden(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: title, detail: detail);

    public static ProblemHttpResult FundNotFound(Guid fundId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Fund not found.", detail: $"There is no fund {fundId}.");

    /// <summary>403, not 404: every sector's staff sees that the fund exists and its rules (<see cref="GrantPolicies.ManagesFund"/>).</summary>
    public static ProblemHttpResult NotFundManager(string owner) =>
        Forbidden("Only the fund's managers may do this.", $"The fund belongs to '{owner}': {GrantPolicies.FundManagers}");

    /// <summary>
    /// A posting the ledger refused: too little money is a rule of the fund's current state (409); a fund past its
    /// limit is a value of <paramref name="field"/> that cannot be accepted (422).
    /// </summary>
    public static ProblemHttpResult Refused(LedgerRefusal refusal, string field) => refusal is OverLimit
        ? Invalid(field, refusal.Describe())
        : Conflict("Not enough money in the fund.", refusal.Describe());

    /// <summary>Like <see cref="ApiGroups.CaseNotFound"/>: the same 404 whether the grant is missing or in a case the caller may not see.</summary>
    public static ProblemHttpResult GrantNotFound(Guid grantId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Grant not found.",
            detail: $"There is no grant {grantId} in a case your sector takes part in.");

    public static ProblemHttpResult DisbursementNotFound(Guid disbursementId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Disbursement not found.",
            detail: $"There is no disbursement {disbursementId} in a case your sector takes part in.");
}

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
        user.Role == Roles.Admin || (user.Role == Roles.GrantApprover && user.Sector == owner);
}
