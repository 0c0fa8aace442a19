using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases;

/// <summary>Why a change was not made: a 409 naming the current state, or a 422 naming the field whose value does
/// not fit what the case holds. Nothing was written.</summary>
public sealed record Refusal(int Status, string Title, string Detail, string? Field = null)
{
    public static Refusal Conflict(string detail, string title = "The case is not in a state that allows this.") =>
        new(StatusCodes.Status409Conflict, title, detail);

    public static Refusal Unprocessable(string field, string detail) =>
        new(StatusCodes.Status422UnprocessableEntity, "The request does not fit the case.", detail, field);

    public static Refusal NotFound(Guid caseId, string what) => new(StatusCodes.Status404NotFound, $"{what} not found.",
        $"The case {caseId} has no such {what.ToLowerInvariant()}.");

    public ProblemHttpResult ToProblem()
    {
        var problem = Field is null
            ? new ProblemDetails()
            : new HttpValidationProblemDetails(new Dictionary<string, string[]> { [Field] = [Detail] });
        problem.Status = Status;
        problem.Title = Title;
        problem.Detail = Detail;
        return TypedResults.Problem(problem);
    }
}

/// <summary>A store's answer: the value, or why nothing was changed.</summary>
public sealed record Outcome<T>(T? Value, Refusal? Refusal)
{
    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Refusal refusal) => new(default, refusal);
}

public static class ValidationResults
{
    public static ValidationProblem Problem(this ValidationErrors errors, string title) =>
        TypedResults.ValidationProblem(errors.ToDictionary(), title: title);
}
