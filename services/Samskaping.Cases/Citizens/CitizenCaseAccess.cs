using System.Reflection;
using Dapper;
using Microsoft.AspNetCore.Http.Metadata;
using Samskaping.Access;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Citizens;

/// <summary>Endpoint metadata: the endpoint answers only inside a case the signed-in citizen reaches (architecture tests look for it).</summary>
public sealed record CitizenRelationRequired(string RouteValue);

/// <summary>
/// The case a citizen's request concerns, after <see cref="CitizenCaseAccess.RequireCitizenRelation"/> found that the
/// relation rule gives it to them. Bound as a placeholder the filter replaces, as <see cref="VisibleCase"/> is.
/// </summary>
public sealed record CitizenCase(ReachedCase Reached)
{
    public static ValueTask<CitizenCase?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        context.GetEndpoint()?.Metadata.GetMetadata<CitizenRelationRequired>() is null
            ? throw new InvalidOperationException($"{context.GetEndpoint()?.DisplayName} takes a CitizenCase but does not RequireCitizenRelation().")
            : ValueTask.FromResult<CitizenCase?>(new CitizenCase(new ReachedCase(Guid.Empty, "", "", default, [])));
}

/// <summary>
/// The relation rule (docs/architecture.md §8) declared on the route, as <see cref="CaseAccessEndpoints"/> declares
/// the workers' rule: outside it, and for a case that does not exist, the same 404, after the same work; the refusal
/// is access-logged as the citizen's, naming the case when there is one, so its household's history shows the attempt.
/// </summary>
public static class CitizenCaseAccess
{
    public const string RefusedPurpose = "not found or not the family's own";

    public static Refusal CaseNotFound(Guid caseId) =>
        Refusal.NotFound("Case not found.", $"There is no case {caseId} of yours or of a child in your care.");

    public static RouteHandlerBuilder RequireCitizenRelation(this RouteHandlerBuilder builder, string routeValue = "caseId")
    {
        builder.WithMetadata(new CitizenRelationRequired(routeValue));
        builder.Add(endpoint => endpoint.Metadata.Add(new ProducesResponseTypeMetadata(
            StatusCodes.Status404NotFound, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"])));
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (!Guid.TryParse(http.Request.RouteValues[routeValue]?.ToString(), out var id))
            {
                throw new InvalidOperationException($"{http.GetEndpoint()?.DisplayName} has no route value '{routeValue}' that is a guid.");
            }
            var citizen = CitizenToken.From(http.User)
                ?? throw new InvalidOperationException($"{http.GetEndpoint()?.DisplayName} takes citizens: require Policies.Citizen.");
            var services = http.RequestServices;
            var connection = await services.GetRequiredService<DbSession>().Connection(http.RequestAborted);
            var reached = await services.GetRequiredService<CitizenRelation>().Cases(citizen, connection, http.RequestAborted, id);
            if (reached.Count == 0)
            {
                var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                    "SELECT EXISTS (SELECT 1 FROM cases.cases WHERE id = @id)", new { id }, cancellationToken: http.RequestAborted));
                var endpoint = http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "unnamed endpoint";
                await services.GetRequiredService<AccessLog>().Write(citizen.AsReader(), exists ? id : null, null, AccessActions.Refused,
                    $"{RefusedPurpose}: {endpoint}", connection, http.RequestAborted);
                return CaseNotFound(id).ToProblem();
            }
            for (var i = 0; i < context.Arguments.Count; i++)
            {
                if (context.Arguments[i] is CitizenCase)
                {
                    context.Arguments[i] = new CitizenCase(reached[0]);
                }
            }
            return await next(context);
        });
        return builder;
    }
}
