using MassTransit;
using Npgsql;
using Samskaping.Messaging.Metrics;

namespace Samskaping.Messaging.Inbox;

/// <summary>
/// One attempt to deliver one message to one service: a single database transaction in which every consumer of the
/// service records its inbox row and writes its effect. All of them commit together or none does, so a retry
/// starts clean for all, and the consumers of the same message in the same service never wait on each other's
/// row locks. Opened by <see cref="InboxFilter"/> and carried by the consume context: <see cref="Of"/> finds it.
/// </summary>
internal sealed class InboxDelivery : IDisposable
{
    // MassTransit hands a message to a service's consumers of it side by side, and one connection runs one command
    // at a time: the consumers take turns on the delivery's transaction.
    private readonly SemaphoreSlim _turn = new(1, 1);
    private int _claimed;
    private int _failed;
    private readonly List<Action> _afterCommit = [];

    internal InboxDelivery(Guid messageId, NpgsqlTransaction transaction)
    {
        MessageId = messageId;
        Transaction = transaction;
    }

    public Guid MessageId { get; }

    /// <summary>The delivery's transaction; <see cref="Inbox.Receive{TMessage}"/> hands it to each consumer's effect.</summary>
    internal NpgsqlTransaction Transaction { get; }

    /// <summary>The delivery of the message in <paramref name="context"/>: the one place a consumer's transaction comes from.</summary>
    public static InboxDelivery Of(ConsumeContext context)
    {
        if (context.MessageId is null)
        {
            throw new InvalidOperationException("The message has no MessageId; the inbox cannot recognise a redelivery.");
        }
        return context.TryGetPayload<InboxDelivery>(out var delivery)
            ? delivery
            : throw new InvalidOperationException(
                "No inbox delivery for this message: consumers that use the inbox run on a receive endpoint set up by AddMessaging.");
    }

    /// <summary>Whether any consumer claimed the message in this delivery (false: every one had it already).</summary>
    public bool Claimed => Volatile.Read(ref _claimed) > 0;

    /// <summary>Whether a consumer's claim or effect threw, whoever caught it afterwards.</summary>
    public bool Failed => Volatile.Read(ref _failed) > 0;

    /// <summary>Whether the delivery's transaction is to be committed: something was claimed and nothing failed.</summary>
    public bool Commits => Claimed && !Failed;

    /// <summary>Whether the delivery's transaction has committed.</summary>
    public bool Committed { get; private set; }

    internal async Task<T> Exclusively<T>(Func<Task<T>> work, CancellationToken ct)
    {
        await _turn.WaitAsync(ct);
        try
        {
            return await work();
        }
        finally
        {
            _turn.Release();
        }
    }

    internal void MarkClaimed() => Interlocked.Increment(ref _claimed);

    internal void MarkFailed() => Interlocked.Increment(ref _failed);

    internal void MarkCommitted()
    {
        Committed = true;
        foreach (var action in _afterCommit)
        {
            action();
        }
    }

    /// <summary>Runs <paramref name="action"/> once the delivery's transaction has committed, and never when it rolls
    /// back: what counts an effect (a meter) must not count one a retry will do again.</summary>
    internal void AfterCommit(Action action) => _afterCommit.Add(action);

    public void Dispose() => _turn.Dispose();
}

/// <summary>
/// Sits before the message-type router of a service's one receive endpoint, inside the delivery's retry: opens the
/// attempt's transaction, puts the <see cref="InboxDelivery"/> on the consume context for every consumer, and
/// commits once. A failure of any consumer (or of the database) rolls back every consumer's effect, and the next
/// attempt starts clean for all, on a fresh connection.
/// </summary>
internal sealed class InboxFilter(NpgsqlDataSource dataSource, MessagingMetrics metrics) : IFilter<ConsumeContext>
{
    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        if (context.MessageId is not { } messageId)
        {
            // Not ours to judge: a consumer that needs the inbox refuses it (InboxDelivery.Of), others may not care.
            await next.Send(context);
            return;
        }
        var ct = context.CancellationToken;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        using var delivery = new InboxDelivery(messageId, transaction);
        // Replaced, never reused: each retry attempt gets its own delivery on its own context.
        context.AddOrUpdatePayload(() => delivery, _ => delivery);
        try
        {
            await next.Send(context);
        }
        catch
        {
            metrics.ConsumeFailed(MessageTypeName(context));
            throw;
        }
        if (!delivery.Claimed)
        {
            // A redelivery every consumer recognised, or no consumer that uses the inbox: nothing was written.
            return;
        }
        if (delivery.Failed)
        {
            // A consumer's effect threw and something between it and here swallowed the exception (a consumer's own
            // catch, a redelivery filter that acknowledged the message to send it again later). Its inbox row and
            // half-written effect are in this transaction: never commit them; disposing rolls back every consumer's
            // work, and whatever delivers the message again starts clean.
            return;
        }
        await transaction.CommitAsync(ct);
        delivery.MarkCommitted();
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("samskaping-inbox");

    /// <summary>The message's own type ("urn:message:Namespace:Type" → "Type"), a label that names no one.</summary>
    private static string MessageTypeName(ConsumeContext context) =>
        context.SupportedMessageTypes.FirstOrDefault() is { } urn ? urn[(urn.LastIndexOf(':') + 1)..] : "unknown";
}
