using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Samskaping.Coordination.Groups;

/// <summary>Why a change was not made, as the problem details answer will say it.</summary>
public sealed record Refusal(int Status, string Title, string Detail)
{
    public ProblemHttpResult ToProblem() => TypedResults.Problem(statusCode: Status, title: Title, detail: Detail);

    public static Refusal Conflict(string title, string detail) => new(StatusCodes.Status409Conflict, title, detail);

    public static Refusal Unprocessable(string title, string detail) => new(StatusCodes.Status422UnprocessableEntity, title, detail);

    public static Refusal Forbidden(string title, string detail) => new(StatusCodes.Status403Forbidden, title, detail);

    public static Refusal NotFound(string title, string detail) => new(StatusCodes.Status404NotFound, title, detail);

    public static Refusal CaseNotFound(Guid caseId) =>
        NotFound("Coordination group not found.", $"There is no case {caseId} that your sector takes part in.");

    public static Refusal Closed(Guid caseId) =>
        Conflict("The case is closed.", $"Case {caseId} is closed; its coordination history can be read but not changed.");

    /// <summary>True for the unique violation a database-held "only one" rule raises.</summary>
    public static bool IsUniqueViolation(Exception e, string constraint) =>
        e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } p && p.ConstraintName == constraint;
}

/// <summary>Either what a change produced, or why it was refused.</summary>
public readonly record struct Outcome<T>(T? Value, Refusal? Refusal)
{
    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Refusal refusal) => new(default, refusal);
}
