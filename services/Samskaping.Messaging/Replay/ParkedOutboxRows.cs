using System.Text;
using Dapper;
using Npgsql;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Messaging.Replay;

/// <summary>A parked outbox row as an operator sees it: ids, type, times and why the relay parked it; not the body.</summary>
public sealed record ParkedOutboxRow(
    Guid Id, string MessageType, Guid? CaseId, DateTimeOffset CreatedAt, DateTimeOffset ParkedAt, int Attempts, string? LastError);

/// <summary>
/// The outbox rows the relay parked (it could not read them: a type this version does not know, a body it cannot
/// read). A replay un-parks a row, so the relay tries it again and publishes it with its own id as MessageId —
/// consumers that had it already do nothing. A discard moves the row into <c>messaging.discarded_messages</c>.
/// Each is audited in the same transaction.
/// </summary>
public sealed class ParkedOutboxRows(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task<IReadOnlyList<ParkedOutboxRow>> List(int limit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT id, message_type AS MessageType, case_id AS CaseId, created_at AS CreatedAt, parked_at AS ParkedAt,
                   attempts, last_error AS LastError
            FROM messaging.outbox WHERE parked_at IS NOT NULL AND published_at IS NULL
            ORDER BY created_at, id LIMIT @limit
            """, new { limit }, cancellationToken: ct));
        return [.. rows.Select(r => new ParkedOutboxRow(r.Id, r.MessageType, r.CaseId, r.CreatedAt.AsUtc(), r.ParkedAt.AsUtc(), r.Attempts, r.LastError))];
    }

    /// <summary>Un-parks the row and wakes the relay; a refusal (404) when no parked row has this id.</summary>
    public async Task<Result<OperatorAction>> Replay(Guid id, CurrentUser user, string? reason, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var type = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            """
            UPDATE messaging.outbox SET parked_at = NULL, attempts = 0, last_error = NULL
            WHERE id = @id AND parked_at IS NOT NULL AND published_at IS NULL
            RETURNING message_type;
            """, new { id }, tx, cancellationToken: ct));
        if (type is null)
        {
            return NotParked(id);
        }
        var action = await OperatorActions.Record(tx, clock, user, OperatorActionNames.Replay, OperatorActionNames.Outbox, id, type, reason, null, ct);
        await connection.ExecuteAsync(new CommandDefinition($"SELECT pg_notify('{OutboxWriter.Channel}', '')", transaction: tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return action;
    }

    /// <summary>Moves the row into the discarded copies with the reason; a refusal (404) when no parked row has this id.</summary>
    public async Task<Result<OperatorAction>> Discard(Guid id, CurrentUser user, string reason, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Discarded>(new CommandDefinition(
            """
            DELETE FROM messaging.outbox WHERE id = @id AND parked_at IS NOT NULL AND published_at IS NULL
            RETURNING id, message_type AS MessageType, case_id AS CaseId, body::text AS Body, created_at AS CreatedAt, last_error AS LastError
            """, new { id }, tx, cancellationToken: ct));
        if (row is null)
        {
            return NotParked(id);
        }
        var copy = new DiscardedCopy(row.CaseId, null, Encoding.UTF8.GetBytes(row.Body), "application/json", row.CreatedAt.AsUtc(), row.LastError);
        var action = await OperatorActions.Record(tx, clock, user, OperatorActionNames.Discard, OperatorActionNames.Outbox, id, row.MessageType, reason, copy, ct);
        await tx.CommitAsync(ct);
        return action;
    }

    private static Refusal NotParked(Guid id) =>
        Refusal.NotFound("Parked outbox row not found.", $"There is no parked outbox row {id}; it may have been replayed or discarded already.");

    private sealed record Row(Guid Id, string MessageType, Guid? CaseId, DateTime CreatedAt, DateTime ParkedAt, int Attempts, string? LastError);

    private sealed record Discarded(Guid Id, string MessageType, Guid? CaseId, string Body, DateTime CreatedAt, string? LastError);
}
