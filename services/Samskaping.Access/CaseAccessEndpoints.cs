using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Access;

/// <summary>The case a thing named in the route belongs to, or null when there is no such thing.</summary>
public delegate Task<Guid?> CaseOf(Guid id, NpgsqlConnection connection, CancellationToken ct);

/// <summary>Endpoint metadata: the endpoint answers only inside a case the caller may see (architecture tests look for it).</summary>
public sealed record CaseAccessRequired(string RouteValue);

/// <summary>
/// The case a request concerns, after <see cref="CaseAccessEndpoints.RequireCaseAccess{TBuilder}(TBuilder, string, string)"/>
/// found that the caller may see it. A handler takes it as a parameter.
/// </summary>
public sealed record VisibleCase(Guid Id)
{
    /// <summary>
    /// Parameters are bound before endpoint filters run, so binding gives a placeholder that the access filter
    /// replaces with the case it found visible; an endpoint without the filter cannot take a VisibleCase at all.
    /// </summary>
    public static ValueTask<VisibleCase?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        context.GetEndpoint()?.Metadata.GetMetadata<CaseAccessRequired>() is null
            ? throw new InvalidOperationException($"{context.GetEndpoint()?.DisplayName} takes a VisibleCase but does not RequireCaseAccess().")
            : ValueTask.FromResult<VisibleCase?>(new VisibleCase(Guid.Empty));
}

/// <summary>
/// The access rule (docs/architecture.md §5) declared once per route group or endpoint instead of written out in each
/// handler: before the handler runs, the case named by the route is looked up and, outside the caller's participation
/// and consent, the request is answered 404 — the same answer as for a case that does not exist.
/// </summary>
public static class CaseAccessEndpoints
{
    /// <summary>The route value <paramref name="routeValue"/> is a case id the caller must be able to see.</summary>
    public static TBuilder RequireCaseAccess<TBuilder>(this TBuilder builder, string routeValue = "caseId", string what = "Case")
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireCaseAccess(routeValue, (id, _, _) => Task.FromResult<Guid?>(id), id => Refusal.CaseNotFound(id, what));

    /// <summary>
    /// The route value <paramref name="routeValue"/> names a thing (a grant, a measurement) whose case
    /// <paramref name="caseOf"/> finds; missing and hidden are the same <paramref name="notFound"/> answer, and the
    /// visibility check runs either way so the two take the same work.
    /// </summary>
    public static TBuilder RequireCaseAccess<TBuilder>(this TBuilder builder, string routeValue, CaseOf caseOf, Func<Guid, Refusal> notFound)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new CaseAccessRequired(routeValue));
        builder.Add(endpoint => endpoint.Metadata.Add(new ProducesResponseTypeMetadata(
            StatusCodes.Status404NotFound, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"])));
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (!Guid.TryParse(http.Request.RouteValues[routeValue]?.ToString(), out var id))
            {
                throw new InvalidOperationException($"{http.GetEndpoint()?.DisplayName} has no route value '{routeValue}' that is a guid.");
            }
            var services = http.RequestServices;
            var user = CurrentUser.From(http.User);
            var connection = await services.GetRequiredService<DbSession>().Connection(http.RequestAborted);
            var caseId = await caseOf(id, connection, http.RequestAborted);
            var access = services.GetRequiredService<CaseAccess>();
            if (!await access.CanSee(caseId ?? Guid.Empty, user, connection, http.RequestAborted) || caseId is null)
            {
                // Written for a hidden case and a missing one alike, so the two answers take the same work; only the
                // hidden one names a case, and so only it shows in a person's access history.
                var endpoint = http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "unnamed endpoint";
                await services.GetRequiredService<AccessLog>().Write(
                    user, caseId, null, AccessActions.Refused, $"not found or not shared: {endpoint}", connection, http.RequestAborted);
                return notFound(id).ToProblem();
            }
            for (var i = 0; i < context.Arguments.Count; i++)
            {
                if (context.Arguments[i] is VisibleCase)
                {
                    context.Arguments[i] = new VisibleCase(caseId.Value);
                }
            }
            return await next(context);
        });
        return builder;
    }
}
