using Dapper;
using Npgsql;
using NpgsqlTypes;
using Samskaping.ServiceDefaults;

namespace Samskaping.Messaging.Replay;

/// <summary>What an operator may do to a message that could not be delivered, and where it lay.</summary>
public static class OperatorActionNames
{
    public const string Replay = "replay";
    public const string Discard = "discard";
    public const string ErrorQueue = "error-queue";
    public const string Outbox = "outbox";
}

/// <summary>One replay or discard, as <c>messaging.operator_actions</c> keeps it: who, when, which message, why.</summary>
public sealed record OperatorAction(
    Guid Id, DateTimeOffset At, string Actor, string Action, string Source, Guid MessageId, string MessageType, string? Reason);

/// <summary>A message as it was when discarded: the error queue's headers and body, or the outbox row.</summary>
internal sealed record DiscardedCopy(
    Guid? CaseId, string? HeadersJson, byte[] Body, string? ContentType, DateTimeOffset? CreatedAt, string? LastError);

/// <summary>
/// The audit of operators' replays and discards in the service's own database (append-only, enforced by a trigger),
/// written in the transaction of the change it records, with the copy of a discarded message beside it.
/// </summary>
internal static class OperatorActions
{
    public const int MaxReasonLength = 500;

    public static async Task<OperatorAction> Record(
        NpgsqlTransaction tx, TimeProvider clock, CurrentUser user, string action, string source,
        Guid messageId, string messageType, string? reason, DiscardedCopy? copy, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var recorded = new OperatorAction(Guid.CreateVersion7(now), now, user.Subject, action, source, messageId, messageType, reason);
        var connection = tx.Connection!;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO messaging.operator_actions (id, at, actor, action, source, message_id, message_type, reason)
            VALUES (@Id, @At, @Actor, @Action, @Source, @MessageId, @MessageType, @Reason)
            """, recorded, tx, cancellationToken: ct));
        if (copy is not null)
        {
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO messaging.discarded_messages
                    (action_id, source, message_id, message_type, case_id, headers, body, content_type, created_at, last_error)
                VALUES (@actionId, @source, @messageId, @messageType, @caseId, @headers, @body, @contentType, @createdAt, @lastError)
                """, connection, tx);
            insert.Parameters.AddWithValue("actionId", recorded.Id);
            insert.Parameters.AddWithValue("source", source);
            insert.Parameters.AddWithValue("messageId", messageId);
            insert.Parameters.AddWithValue("messageType", messageType);
            insert.Parameters.AddWithValue("caseId", NpgsqlDbType.Uuid, (object?)copy.CaseId ?? DBNull.Value);
            insert.Parameters.AddWithValue("headers", NpgsqlDbType.Jsonb, (object?)copy.HeadersJson ?? DBNull.Value);
            insert.Parameters.AddWithValue("body", NpgsqlDbType.Bytea, copy.Body);
            insert.Parameters.AddWithValue("contentType", NpgsqlDbType.Text, (object?)copy.ContentType ?? DBNull.Value);
            insert.Parameters.AddWithValue("createdAt", NpgsqlDbType.TimestampTz, (object?)copy.CreatedAt ?? DBNull.Value);
            insert.Parameters.AddWithValue("lastError", NpgsqlDbType.Text, (object?)copy.LastError ?? DBNull.Value);
            await insert.ExecuteNonQueryAsync(ct);
        }
        return recorded;
    }

    public static async Task<IReadOnlyList<OperatorAction>> Latest(NpgsqlDataSource dataSource, int limit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT id, at, actor, action, source, message_id AS MessageId, message_type AS MessageType, reason
            FROM messaging.operator_actions ORDER BY at DESC, id DESC LIMIT @limit
            """, new { limit }, cancellationToken: ct));
        return [.. rows.Select(r => new OperatorAction(r.Id, r.At.AsUtc(), r.Actor, r.Action, r.Source, r.MessageId, r.MessageType, r.Reason))];
    }

    private sealed record Row(Guid Id, DateTime At, string Actor, string Action, string Source, Guid MessageId, string MessageType, string? Reason);
}
