using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Samskaping.ServiceDefaults;

/// <summary>
/// Why a request was not carried out, as its problem details answer will say it. Nothing was written.
/// <list type="bullet">
/// <item>400: the request could not be read as the operation's types — not JSON, a wrong JSON type, a text that is
/// not in its format (a date, a number, a cursor). The framework answers most of these itself (see
/// <see cref="ProblemExceptionHandler"/>); a handler that reads a text itself says so with
/// <see cref="ValidationErrors.Unreadable"/>.</item>
/// <item>422: it was read, but a value is not acceptable — missing, blank, too long, out of range, not one of the
/// allowed values, failing a checksum, or naming something that is not there. Each error names its field.</item>
/// <item>404: the thing is not there, or is in a case the caller may not see (the same answer, so existence does
/// not leak); 409: the current state does not allow it; 403: a rule about who may do it.</item>
/// </list>
/// </summary>
public sealed record Refusal(int Status, string Title, string Detail, IDictionary<string, string[]>? Errors = null)
{
    public static Refusal NotFound(string title, string detail) => new(StatusCodes.Status404NotFound, title, detail);

    /// <summary>
    /// A case, or <paramref name="what"/> in it, that is missing or in a case the caller may not see: the same 404
    /// either way (docs/architecture.md §5).
    /// </summary>
    public static Refusal CaseNotFound(Guid caseId, string what = "Case") =>
        NotFound($"{what} not found.", $"There is no case {caseId} that your sector takes part in.");

    public static Refusal Conflict(string title, string detail) => new(StatusCodes.Status409Conflict, title, detail);

    public static Refusal Forbidden(string title, string detail) => new(StatusCodes.Status403Forbidden, title, detail);

    /// <summary>One value that was read but is not acceptable (422 naming <paramref name="field"/>).</summary>
    public static Refusal Unprocessable(string title, string field, string detail) =>
        new(StatusCodes.Status422UnprocessableEntity, title, detail, new Dictionary<string, string[]> { [field] = [detail] });

    /// <summary>
    /// What <paramref name="errors"/> found: 400 when one of them is a text that could not be read, else 422.
    /// </summary>
    public static Refusal Invalid(string title, ValidationErrors errors) => new(
        errors.IsReadable ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status400BadRequest,
        title, "See errors: each names a field of the request and what is wrong with it.", errors.ToDictionary());

    public ProblemHttpResult ToProblem()
    {
        var problem = Errors is null ? new ProblemDetails() : new HttpValidationProblemDetails(Errors);
        problem.Status = Status;
        problem.Title = Title;
        problem.Detail = Detail;
        return TypedResults.Problem(problem);
    }
}

/// <summary>What a store or domain operation produced, or why it was refused.</summary>
public readonly record struct Result<T>(T? Value, Refusal? Refusal)
{
    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(Refusal refusal) => new(default, refusal);
}
