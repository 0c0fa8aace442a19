using System.ComponentModel.DataAnnotations;
using System.Data;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Samskaping.ServiceDefaults;

namespace Samskaping.Access;

/// <summary>
/// Whose data a service is asked to hand over for a person's export (innsyn, GDPR art. 15 and 20). The cases service
/// decides who is in it: <see cref="PersonIds"/> are the person's records in every household and those of the
/// children under 15 in their care; <see cref="CaseIds"/> the cases of those households. A service gives what it
/// holds about these records and cases, and nothing about anyone else.
/// </summary>
public sealed record PersonExportQuery(
    Guid? PersonId,
    [property: MaxLength(PersonExportQuery.MaxRecords)] IReadOnlyList<Guid>? PersonIds,
    [property: MaxLength(AccessLogQuery.MaxCases)] IReadOnlyList<Guid>? CaseIds)
{
    public const int MaxRecords = 100;

    [JsonIgnore]
    public Guid[] People => [.. (PersonIds ?? []).Prepend(PersonId ?? Guid.Empty).Where(p => p != Guid.Empty).Distinct()];

    [JsonIgnore]
    public Guid[] Cases => [.. (CaseIds ?? []).Distinct()];

    public ValidationErrors Validate()
    {
        var errors = new ValidationErrors();
        if (PersonId is null || PersonId == Guid.Empty)
        {
            errors.Add("personId", "Required: the person the export is for.");
        }
        if (PersonIds is { Count: > MaxRecords })
        {
            errors.Add("personIds", $"At most {MaxRecords} records.");
        }
        if (CaseIds is { Count: > AccessLogQuery.MaxCases })
        {
            errors.Add("caseIds", $"At most {AccessLogQuery.MaxCases} cases.");
        }
        return errors;
    }
}

/// <summary>
/// Something the service holds about the person but does not hand over, and why, in words the person can read
/// (bokmål): an exception to the right of access is applied openly, never by leaving the entry out.
/// </summary>
public sealed record HeldBackEntry(string Kind, Guid Id, Guid? CaseId, DateTimeOffset At, string Reason);

/// <summary>What a service's own reader found: its data (its own shape, serialised as it is) and what it held back.</summary>
public sealed record PersonExportContent(object Data, IReadOnlyList<HeldBackEntry> HeldBack);

/// <summary>One service's part of a person's export: its data, what it held back, and its access log about them.</summary>
public sealed record PersonExportPart(
    string Service, Guid PersonId, object Data, IReadOnlyList<HeldBackEntry> HeldBack, IReadOnlyList<AccessLogRecord> AccessLog);

/// <summary>
/// Every service's part of a person's export, readable by the cases service, which puts the parts together for the
/// privacy officer (<c>/api/cases/persons/{id}/export</c>). Service tokens only; the gateway routes <c>/api/…</c>
/// only. The service's reader runs in one read-only snapshot with the access log, so the part is consistent.
/// </summary>
public static class PersonDataExport
{
    public delegate Task<PersonExportContent> Reader(NpgsqlConnection connection, PersonExportQuery query, CancellationToken ct);

    public static RouteHandlerBuilder MapPersonExport(this IEndpointRouteBuilder app, string service, Reader read)
    {
        var group = app.MapApiGroup($"/internal/{service}/person-export", "Internal (service-to-service)", Policies.Service);
        return group.MapPost("", (PersonExportQuery query, NpgsqlDataSource dataSource, CancellationToken ct) => Export(service, query, dataSource, read, ct))
            .WithName("InternalPersonExport")
            .WithSummary("Everything this service holds about one person, for the person's export")
            .WithDescription("The data about personIds (the person's records and the children under 15 in their care) and caseIds " +
                "(the cases of their households), what is held back and why, and this service's access-log entries about them. " +
                "For the cases service's person export (privacy officer); a service token only.")
            .ProducesInvalid();
    }

    public static async Task<Results<Ok<PersonExportPart>, ProblemHttpResult>> Export(
        string service, PersonExportQuery query, NpgsqlDataSource dataSource, Reader read, CancellationToken ct)
    {
        var errors = query.Validate();
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The person's data could not be exported.", errors).ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return TypedResults.Ok(await Read(service, connection, query, read, ct));
    }

    /// <summary>A service's part, read on <paramref name="connection"/>; for a service that exports its own part directly.</summary>
    public static async Task<PersonExportPart> Read(string service, NpgsqlConnection connection, PersonExportQuery query, Reader read, CancellationToken ct)
    {
        await using var snapshot = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var content = await read(connection, query, ct);
        var log = await WholeAccessLog(connection, query, ct);
        await snapshot.CommitAsync(ct);
        return new PersonExportPart(service, query.PersonId!.Value, content.Data, content.HeldBack, log);
    }

    // Every entry, not a page: the export is the whole history. Paged by the same keyset the history reads by.
    private static async Task<IReadOnlyList<AccessLogRecord>> WholeAccessLog(NpgsqlConnection connection, PersonExportQuery query, CancellationToken ct)
    {
        var people = query.People;
        var all = new List<AccessLogRecord>();
        AccessLogRecord? last = null;
        while (true)
        {
            var page = await AccessLogExport.Page(connection,
                new AccessLogQuery(people[0], query.Cases, last?.At, last?.Id, AccessLogQuery.MaxLimit, people[1..]), ct);
            all.AddRange(page);
            if (page.Count < AccessLogQuery.MaxLimit)
            {
                return all;
            }
            last = page[^1];
        }
    }
}
