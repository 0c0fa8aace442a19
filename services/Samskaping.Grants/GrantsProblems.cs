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
    /// <summary>Creates funds, tops them up, moves money between them and reads their ledgers.</summary>
    public const string FundManager = "grants-fund-manager";

    /// <summary>Sees the list of funds (balances only for fund managers).</summary>
    public const string FundReader = "grants-fund-reader";

    /// <summary>Sees aggregated reports: fund managers and analysts.</summary>
    public const string Reports = "grants-reports";

    public static bool SeesBalances(CurrentUser user) => user.Role is Roles.GrantApprover or Roles.Admin;
}
