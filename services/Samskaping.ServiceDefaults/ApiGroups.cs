using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Samskaping.ServiceDefaults;

public static class ApiGroups
{
    /// <summary>
    /// The OpenAPI document of the service-to-service operations (<c>/internal/…</c>), which each service serves at
    /// <c>/openapi/internal.json</c> for the other services' developers. They are kept out of the public document the
    /// gateway's API reference shows: they take service tokens only, and the gateway never routes them.
    /// </summary>
    public const string InternalDocument = "internal";

    /// <summary>
    /// A route group with the conventions every API shares: the OpenAPI tag (and document: a prefix under
    /// <c>/internal/</c> is in <see cref="InternalDocument"/>), who may call it, the per-user rate limit, and the
    /// 401/403 answers the authorization can give.
    /// </summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder app, string prefix, string tag, string? policy = null)
    {
        var group = app.MapGroup(prefix)
            .WithTags(tag)
            .RequirePerUserRateLimit()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        if (prefix.StartsWith("/internal/", StringComparison.Ordinal))
        {
            group.WithGroupName(InternalDocument);
        }
        if (policy is not null)
        {
            group.RequireAuthorization(policy);
        }
        return group;
    }

    /// <summary>
    /// The answers of an operation that checks what it reads (<see cref="Refusal"/>): 400 when something could not be
    /// read, 422 when a value is not acceptable, each naming its fields.
    /// </summary>
    public static RouteHandlerBuilder ProducesInvalid(this RouteHandlerBuilder builder) => builder
        .ProducesValidationProblem(StatusCodes.Status400BadRequest)
        .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
}
