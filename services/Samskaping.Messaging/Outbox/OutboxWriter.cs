using Samskaping.ServiceDefaults;
using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Samskaping.Contracts;

namespace Samskaping.Messaging.Outbox;

/// <summary>
/// Writes a message to <c>messaging.outbox</c> inside the caller's transaction. It is published by
/// <see cref="OutboxRelay"/> only if that transaction commits, so state and message never disagree.
/// </summary>
public sealed class OutboxWriter(TimeProvider clock)
{
    /// <summary>PostgreSQL delivers NOTIFY on commit, and not at all on rollback: the relay wakes exactly when it should.</summary>
    internal const string Channel = "samskaping_outbox";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Writes <paramref name="message"/> in <paramref name="transaction"/>, with the case it is about
    /// (<see cref="ICaseMessage"/>), by which the relay keeps a case's messages in order.</summary>
    public async Task Enqueue<T>(T message, NpgsqlTransaction transaction, CancellationToken ct) where T : class
    {
        const string sql = """
            INSERT INTO messaging.outbox (id, message_type, case_id, body, trace_parent, created_at)
            VALUES (@id, @type, @caseId, @body, @traceParent, @createdAt);
            SELECT pg_notify('samskaping_outbox', '');
            """;
        var now = clock.Now();
        await using var command = new NpgsqlCommand(sql, transaction.Connection, transaction);
        command.Parameters.AddWithValue("id", Guid.CreateVersion7(now));
        command.Parameters.AddWithValue("type", MessageTypes.NameOf(typeof(T)));
        command.Parameters.AddWithValue("caseId", NpgsqlDbType.Uuid, message is ICaseMessage about ? about.CaseId : (object)DBNull.Value);
        command.Parameters.AddWithValue("body", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(message, Json));
        command.Parameters.AddWithValue("traceParent", (object?)Activity.Current?.Id ?? DBNull.Value);
        command.Parameters.AddWithValue("createdAt", now);
        await command.ExecuteNonQueryAsync(ct);
    }
}
