using System.ComponentModel.DataAnnotations;
using System.Data;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Samskaping.ServiceDefaults;

namespace Samskaping.Access;

/// <summary>
/// Which entries of a service's access log concern one person: those about the person (under <see cref="PersonId"/>
/// or <see cref="SamePersonIds"/>, the ids other households' records of the same person have), and those about one
/// of the person's cases that name no other person. Newest first, strictly before (<see cref="BeforeAt"/>,
/// <see cref="BeforeId"/>) when given (keyset paging on (at, id)).
/// </summary>
public sealed record AccessLogQuery(
    Guid? PersonId,
    [property: MaxLength(AccessLogQuery.MaxCases)] IReadOnlyList<Guid>? CaseIds,
    DateTimeOffset? BeforeAt,
    Guid? BeforeId,
    [property: Range(1, AccessLogQuery.MaxLimit)] int? Limit,
    [property: MaxLength(AccessLogQuery.MaxCases)] IReadOnlyList<Guid>? SamePersonIds = null)
{
    public const int MaxLimit = 500;
    public const int MaxCases = 1000;

    public ValidationErrors Validate()
    {
        var errors = new ValidationErrors();
        if (PersonId is null || PersonId == Guid.Empty)
        {
            errors.Add("personId", "Required: the person whose history is asked for.");
        }
        if (CaseIds is { Count: > MaxCases })
        {
            errors.Add("caseIds", $"At most {MaxCases} cases.");
        }
        if (SamePersonIds is { Count: > MaxCases })
        {
            errors.Add("samePersonIds", $"At most {MaxCases} records.");
        }
        if (BeforeAt.HasValue != BeforeId.HasValue)
        {
            errors.Add(BeforeAt.HasValue ? "beforeId" : "beforeAt", "beforeAt and beforeId go together (the last entry already seen).");
        }
        if (Limit is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"Must be between 1 and {MaxLimit}.");
        }
        return errors;
    }
}

/// <summary>
/// One access-log entry as another service (and the privacy officer) sees it. <see cref="OnBehalfOf"/> and
/// <see cref="OnBehalfOfSector"/>: the worker a service read for, when the entry's subject is a service.
/// </summary>
public sealed record AccessLogRecord(
    Guid Id, DateTimeOffset At, string Subject, string Role, string Sector, Guid? CaseId, Guid? PersonId,
    string Action, string? Purpose, string? CorrelationId, string? OnBehalfOf = null, string? OnBehalfOfSector = null);

public sealed record AccessLogExportPage(string Service, IReadOnlyList<AccessLogRecord> Entries);

/// <summary>
/// Every service's access log, readable by another Samskaping service for a person's access history (the cases
/// service puts the histories of all services together for the privacy officer). Service tokens only; the
/// gateway routes <c>/api/…</c> only, so this is unreachable from outside.
/// </summary>
public static class AccessLogExport
{
    public static RouteHandlerBuilder MapAccessLogExport(this IEndpointRouteBuilder app, string service)
    {
        var group = app.MapApiGroup($"/internal/{service}/access-log", "Internal (service-to-service)", Policies.Service);
        return group.MapPost("/query", (AccessLogQuery query, NpgsqlDataSource dataSource, CancellationToken ct) => Query(service, query, dataSource, ct))
            .WithName("InternalAccessLogQuery")
            .WithSummary("The entries of this service's access log about one person, newest first, keyset paged")
            .WithDescription("Entries whose person is personId (or one of samePersonIds: other households' records of the same person), " +
                "and entries about one of caseIds that name no person. " +
                "limit 1–500 (default 100); beforeAt + beforeId: the last entry of the previous page. For the cases service's " +
                "person access history (privacy officer); a service token only.")
            .ProducesInvalid();
    }

    public static async Task<Results<Ok<AccessLogExportPage>, ProblemHttpResult>> Query(
        string service, AccessLogQuery query, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var errors = query.Validate();
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The access log could not be queried.", errors).ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return TypedResults.Ok(new AccessLogExportPage(service, await Page(connection, query, ct)));
    }

    /// <summary>The query on this database's <c>access.access_log</c>; for a service that reads its own log directly.</summary>
    public static async Task<IReadOnlyList<AccessLogRecord>> Page(NpgsqlConnection connection, AccessLogQuery query, CancellationToken ct)
    {
        var parameters = new DynamicParameters();
        parameters.Add("personIds", (query.SamePersonIds ?? []).Prepend(query.PersonId!.Value).ToArray());
        parameters.Add("caseIds", (query.CaseIds ?? []).ToArray());
        parameters.Add("beforeAt", query.BeforeAt, DbType.DateTimeOffset);
        parameters.Add("beforeId", query.BeforeId, DbType.Guid);
        parameters.Add("take", query.Limit ?? 100);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT id, at, subject, role, sector, case_id AS CaseId, person_id AS PersonId, action, purpose, correlation_id AS CorrelationId,
                   on_behalf_of AS OnBehalfOf, on_behalf_of_sector AS OnBehalfOfSector
            FROM access.access_log
            WHERE (person_id = ANY(@personIds) OR (person_id IS NULL AND case_id = ANY(@caseIds)))
              AND (@beforeAt IS NULL OR (at, id) < (@beforeAt, @beforeId))
            ORDER BY at DESC, id DESC
            LIMIT @take
            """, parameters, cancellationToken: ct));
        return [.. rows.Select(r => new AccessLogRecord(r.Id, r.At.AsUtc(), r.Subject, r.Role, r.Sector, r.CaseId, r.PersonId, r.Action, r.Purpose, r.CorrelationId, r.OnBehalfOf, r.OnBehalfOfSector))];
    }

    private sealed record Row(Guid Id, DateTime At, string Subject, string Role, string Sector, Guid? CaseId, Guid? PersonId,
        string Action, string? Purpose, string? CorrelationId, string? OnBehalfOf, string? OnBehalfOfSector);
}
