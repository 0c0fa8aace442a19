using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Samskaping.ServiceDefaults;

public static class ApiGroups
{
    /// <summary>
    /// A route group with the conventions every API shares: the OpenAPI tag, who may call it, the per-user rate
    /// limit, and the 401/403 answers the authorization can give.
    /// </summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder app, string prefix, string tag, string? policy = null)
    {
        var group = app.MapGroup(prefix)
            .WithTags(tag)
            .RequirePerUserRateLimit()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        if (policy is not null)
        {
            group.RequireAuthorization(policy);
        }
        return group;
    }

    /// <summary>
    /// The answer for a case the caller may not see or that does not exist: the same 404 either way, so a
    /// case's existence does not leak outside the sectors that take part in it (docs/architecture.md §5).
    /// </summary>
    public static ProblemHttpResult CaseNotFound(Guid caseId, string what = "Case") =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"{what} not found.",
            detail: $"There is no case {caseId} that your sector takes part in.");
}
