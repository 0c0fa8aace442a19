using Samskaping.ServiceDefaults;
using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Samskaping.Messaging.Outbox;

/// <summary>
/// Writes a message to <c>messaging.outbox</c> inside the caller's transaction. It is published by
/// <see cref="OutboxRelay"/> only if that transaction commits, so state and message never disagree.
/// </summary>
public sealed class Outbox(TimeProvider clock)
{
    /// <summary>PostgreSQL delivers NOTIFY on commit, and not at all on rollback: the relay wakes exactly when it should.</summary>
    internal const string Channel = "samskaping_outbox";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task Enqueue<T>(T message, NpgsqlTransaction transaction, CancellationToken ct) where T : class
    {
        const string sql = """
            INSERT INTO messaging.outbox (id, message_type, body, trace_parent, created_at)
            VALUES (@id, @type, @body, @traceParent, @createdAt);
            SELECT pg_notify('samskaping_outbox', '');
            """;
        var now = clock.Now();
        await using var command = new NpgsqlCommand(sql, transaction.Connection, transaction);
        command.Parameters.AddWithValue("id", Guid.CreateVersion7(now));
        command.Parameters.AddWithValue("type", TypeName(typeof(T)));
        command.Parameters.AddWithValue("body", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(message, Json));
        command.Parameters.AddWithValue("traceParent", (object?)Activity.Current?.Id ?? DBNull.Value);
        command.Parameters.AddWithValue("createdAt", now);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>"Namespace.Type, Assembly": stable across versions, resolvable with <see cref="Type.GetType(string)"/>.</summary>
    internal static string TypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}
