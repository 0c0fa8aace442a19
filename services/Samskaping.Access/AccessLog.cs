using System.Diagnostics;
using Dapper;
using Npgsql;
using Samskaping.ServiceDefaults;

namespace Samskaping.Access;

/// <summary>What was done with a person's data, in the words the access log uses.</summary>
public static class AccessActions
{
    public const string Read = "read";
    public const string Create = "create";
    public const string Update = "update";
    public const string List = "list";

    /// <summary>A privacy officer read a person's access history (this log, across all services).</summary>
    public const string ReadAccessLog = "read-access-log";

    /// <summary>
    /// A request named a case the caller may not see (outside participation or consent) or one that does not exist,
    /// and was answered 404: kept so the privacy officer sees probing of a person's cases.
    /// </summary>
    public const string Refused = "refused";
}

/// <summary>One case and/or person a read or write concerned; for a list, one per case or person in the result.</summary>
public readonly record struct AccessSubject(Guid? CaseId, Guid? PersonId)
{
    public static AccessSubject Case(Guid caseId) => new(caseId, null);
}

/// <summary>
/// Writes who looked at or changed a person's data (docs/architecture.md §5). Written in the caller's transaction where
/// there is one, so a change and its log entry are committed together.
/// </summary>
public sealed class AccessLog(NpgsqlDataSource dataSource, AccessMetrics metrics, TimeProvider clock)
{
    public async Task Write(CurrentUser user, Guid? caseId, Guid? personId, string action, string? purpose, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await Insert(connection, null, user, caseId, personId, action, purpose, ct);
    }

    public Task Write(CurrentUser user, Guid? caseId, Guid? personId, string action, string? purpose, NpgsqlTransaction tx, CancellationToken ct) =>
        Insert(tx.Connection!, tx, user, caseId, personId, action, purpose, ct);

    /// <summary>An entry for a read, on the request's connection (<see cref="Messaging.Database.DbSession"/>).</summary>
    public Task Write(CurrentUser user, Guid? caseId, Guid? personId, string action, string? purpose, NpgsqlConnection connection, CancellationToken ct) =>
        Insert(connection, null, user, caseId, personId, action, purpose, ct);

    /// <summary>
    /// One entry per subject, in one statement: a list or search answer logs every case or person it showed, with
    /// the same who, action, purpose, time and correlation id. Nothing is written for an empty list.
    /// </summary>
    public async Task WriteMany(CurrentUser user, IEnumerable<AccessSubject> subjects, string action, string? purpose, CancellationToken ct)
    {
        var distinct = subjects.Distinct().ToList();
        if (distinct.Count == 0)
        {
            return;
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await InsertMany(connection, null, user, distinct, action, purpose, ct);
    }

    public Task WriteMany(CurrentUser user, IEnumerable<AccessSubject> subjects, string action, string? purpose, NpgsqlTransaction tx, CancellationToken ct)
    {
        var distinct = subjects.Distinct().ToList();
        return distinct.Count == 0 ? Task.CompletedTask : InsertMany(tx.Connection!, tx, user, distinct, action, purpose, ct);
    }

    /// <summary>As <see cref="WriteMany(CurrentUser, IEnumerable{AccessSubject}, string, string?, CancellationToken)"/>, on the request's connection.</summary>
    public Task WriteMany(CurrentUser user, IEnumerable<AccessSubject> subjects, string action, string? purpose, NpgsqlConnection connection, CancellationToken ct)
    {
        var distinct = subjects.Distinct().ToList();
        return distinct.Count == 0 ? Task.CompletedTask : InsertMany(connection, null, user, distinct, action, purpose, ct);
    }

    /// <summary>The W3C trace id of the request or message being handled: the same id the gateway's and every
    /// service's spans carry, so an entry leads to the whole trace.</summary>
    public static string? CorrelationId() =>
        Activity.Current is { } activity && activity.TraceId != default ? activity.TraceId.ToHexString() : null;

    private Task Insert(NpgsqlConnection connection, NpgsqlTransaction? tx, CurrentUser user, Guid? caseId, Guid? personId, string action, string? purpose, CancellationToken ct) =>
        InsertMany(connection, tx, user, [new AccessSubject(caseId, personId)], action, purpose, ct);

    private async Task InsertMany(NpgsqlConnection connection, NpgsqlTransaction? tx, CurrentUser user, IReadOnlyList<AccessSubject> subjects,
        string action, string? purpose, CancellationToken ct)
    {
        var now = clock.Now();
        var parameters = new DynamicParameters(new
        {
            at = now,
            subject = user.Subject,
            role = user.Role,
            sector = user.Sector,
            action,
            correlationId = CorrelationId(),
        });
        parameters.Add("onBehalfOf", user.ActingFor?.Subject, System.Data.DbType.String);
        parameters.Add("onBehalfOfSector", user.ActingFor?.Sector, System.Data.DbType.String);
        parameters.Add("purpose", purpose, System.Data.DbType.String);
        var ids = subjects.Select(_ => Guid.CreateVersion7(now)).ToArray();
        parameters.Add("ids", ids);
        // Nullable uuids travel as arrays of Guid? so a list of cases without persons (or persons without cases)
        // is still one statement.
        parameters.Add("caseIds", subjects.Select(s => s.CaseId).ToArray());
        parameters.Add("personIds", subjects.Select(s => s.PersonId).ToArray());
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO access.access_log (id, at, subject, role, sector, case_id, person_id, action, purpose, correlation_id, on_behalf_of, on_behalf_of_sector)
            SELECT e.id, @at, @subject, @role, @sector, e.case_id, e.person_id, @action, @purpose, @correlationId, @onBehalfOf, @onBehalfOfSector
            FROM unnest(@ids::uuid[], @caseIds::uuid[], @personIds::uuid[]) AS e(id, case_id, person_id)
            """,
            parameters, tx, cancellationToken: ct));
        metrics.Written(action, ids.Length);
    }
}
