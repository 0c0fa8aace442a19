using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Samskaping.Messaging.Metrics;
using Samskaping.ServiceDefaults;

namespace Samskaping.Messaging.Inbox;

/// <summary>
/// Exactly-once effects over at-least-once delivery: the message id and the consumer are recorded in
/// <c>messaging.inbox</c> in the same transaction as the consumer's effect — the delivery's transaction
/// (<see cref="InboxDelivery"/>), shared by all of a service's consumers of the message. A redelivery finds the row
/// and does nothing; a consumer that fails after writing rolls the delivery back, so the retry starts clean.
/// </summary>
public sealed partial class Inbox(TimeProvider clock, MessagingMetrics metrics, ILogger<Inbox>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<Inbox>.Instance;

    /// <summary>
    /// Runs <paramref name="effect"/> once per message and consumer, in the delivery's transaction, which it is
    /// given: the effect writes through it (and may enqueue outbox messages in it) and must not commit it — the
    /// delivery commits once all the service's consumers are done. Returns false for a duplicate.
    /// </summary>
    public async Task<bool> Receive<TMessage>(
        ConsumeContext<TMessage> context,
        string consumer,
        Func<NpgsqlTransaction, CancellationToken, Task> effect) where TMessage : class
    {
        var delivery = InboxDelivery.Of(context);
        var ct = context.CancellationToken;
        return await delivery.Exclusively(async () =>
        {
            try
            {
                if (!await Claim(delivery.Transaction, delivery.MessageId, consumer, ct))
                {
                    return false;
                }
                delivery.MarkClaimed();
                await effect(delivery.Transaction, ct);
                return true;
            }
            catch
            {
                delivery.MarkFailed();
                throw;
            }
        }, ct);
    }

    /// <summary>Runs <paramref name="action"/> once the transaction of the delivery in <paramref name="context"/> has
    /// committed, and never when it rolls back: what counts an effect (a meter) must not count one a retry does again.</summary>
    public static void AfterCommit(ConsumeContext context, Action action) => InboxDelivery.Of(context).AfterCommit(action);

    /// <summary>Records the inbox row; false when this consumer had the message already. A concurrent duplicate
    /// blocks on the primary key until the first commits, then inserts nothing.</summary>
    private async Task<bool> Claim(NpgsqlTransaction transaction, Guid messageId, string consumer, CancellationToken ct)
    {
        await using var claim = new NpgsqlCommand(
            "INSERT INTO messaging.inbox (message_id, consumer, received_at) VALUES (@id, @consumer, @now) ON CONFLICT DO NOTHING",
            transaction.Connection, transaction);
        claim.Parameters.AddWithValue("id", messageId);
        claim.Parameters.AddWithValue("consumer", consumer);
        claim.Parameters.AddWithValue("now", clock.Now());
        if (await claim.ExecuteNonQueryAsync(ct) == 0)
        {
            LogDuplicate(messageId, consumer);
            metrics.InboxDuplicate(consumer);
            return false;
        }
        return true;
    }

    // Rare in normal operation (a redelivery after a lost acknowledgement); the fault suite counts these lines.
    [LoggerMessage(Level = LogLevel.Information, Message = "Inbox: message {MessageId} was already handled by {Consumer}; redelivery acknowledged without a second effect")]
    private partial void LogDuplicate(Guid messageId, string consumer);
}
