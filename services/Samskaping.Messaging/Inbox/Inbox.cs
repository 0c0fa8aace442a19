using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Samskaping.Messaging.Faults;
using Samskaping.ServiceDefaults;

namespace Samskaping.Messaging.Inbox;

/// <summary>
/// Exactly-once effects over at-least-once delivery: the message id and the consumer are recorded in
/// <c>messaging.inbox</c> in the same transaction as the consumer's effect. A redelivery finds the row and does
/// nothing; a consumer that fails after writing rolls both back, so the retry starts clean.
/// </summary>
public sealed partial class Inbox(NpgsqlDataSource dataSource, TimeProvider clock, MessageFaults? faults = null, ILogger<Inbox>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<Inbox>.Instance;

    /// <summary>
    /// Runs <paramref name="effect"/> once per message and consumer. The effect writes through the given
    /// transaction (and may enqueue outbox messages in it); it must not commit. Returns false for a duplicate.
    /// </summary>
    public async Task<bool> Receive<TMessage>(
        ConsumeContext<TMessage> context,
        string consumer,
        Func<NpgsqlTransaction, CancellationToken, Task> effect) where TMessage : class
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"{typeof(TMessage).Name} has no MessageId; the inbox cannot recognise a redelivery.");
        var ct = context.CancellationToken;

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // A concurrent duplicate blocks on the primary key until the first commits, then inserts nothing.
        await using (var claim = new NpgsqlCommand(
            "INSERT INTO messaging.inbox (message_id, consumer, received_at) VALUES (@id, @consumer, @now) ON CONFLICT DO NOTHING",
            connection, transaction))
        {
            claim.Parameters.AddWithValue("id", messageId);
            claim.Parameters.AddWithValue("consumer", consumer);
            claim.Parameters.AddWithValue("now", clock.Now());
            if (await claim.ExecuteNonQueryAsync(ct) == 0)
            {
                LogDuplicate(messageId, consumer);
                return false;
            }
        }

        await effect(transaction, ct);
        faults?.BeforeCommit(messageId, consumer);
        await transaction.CommitAsync(ct);
        faults?.AfterCommit(messageId, consumer);
        return true;
    }

    // Rare in normal operation (a redelivery after a lost acknowledgement); the fault suite counts these lines.
    [LoggerMessage(Level = LogLevel.Information, Message = "Inbox: message {MessageId} was already handled by {Consumer}; redelivery acknowledged without a second effect")]
    private partial void LogDuplicate(Guid messageId, string consumer);
}
