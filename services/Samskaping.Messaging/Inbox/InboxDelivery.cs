using MassTransit;
using Npgsql;
using Samskaping.Messaging.Faults;

namespace Samskaping.Messaging.Inbox;

/// <summary>
/// One delivery of one message to one service: a single database transaction in which every consumer of the
/// service records its inbox row and writes its effect. All of them commit together or none does, so a retry
/// starts clean for all, and the consumers of the same message in the same service never wait on each other's
/// row locks. Opened by <see cref="InboxFilter"/> around the service's consumers; found by
/// <see cref="Inbox.Receive{TMessage}"/> through the async flow.
/// </summary>
internal sealed class InboxDelivery(Guid messageId, NpgsqlTransaction transaction) : IDisposable
{
    private static readonly AsyncLocal<InboxDelivery?> CurrentDelivery = new();

    /// <summary>MassTransit starts the consumers of one message side by side; one connection takes one command at a time.</summary>
    private readonly SemaphoreSlim _turn = new(1, 1);
    private int _claimed;
    private int _failed;

    public static InboxDelivery? Current
    {
        get => CurrentDelivery.Value;
        set => CurrentDelivery.Value = value;
    }

    public Guid MessageId { get; } = messageId;

    public NpgsqlTransaction Transaction { get; } = transaction;

    /// <summary>Whether any consumer claimed the message in this delivery (false: every one had it already).</summary>
    public bool Claimed => Volatile.Read(ref _claimed) > 0;

    public async Task<T> Exclusively<T>(Func<Task<T>> work, CancellationToken ct)
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

    public void MarkClaimed() => Interlocked.Increment(ref _claimed);

    /// <summary>Whether a consumer's claim or effect threw, whoever caught it afterwards.</summary>
    public bool Failed => Volatile.Read(ref _failed) > 0;

    public void MarkFailed() => Interlocked.Increment(ref _failed);

    public void Dispose() => _turn.Dispose();
}

/// <summary>
/// Sits before the message-type router of a service's one receive endpoint, inside the delivery's retry: opens the
/// delivery's transaction, lets every consumer write into it, and commits once. A failure of any consumer (or of
/// the database) rolls back every consumer's effect, and the next attempt starts clean for all, on a fresh connection.
/// </summary>
internal sealed class InboxFilter(NpgsqlDataSource dataSource, MessageFaults faults) : IFilter<ConsumeContext>
{
    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        if (context.MessageId is not { } messageId)
        {
            // Not ours to judge: a consumer that needs the inbox refuses it (Inbox.Receive), others may not care.
            await next.Send(context);
            return;
        }
        var ct = context.CancellationToken;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        using var delivery = new InboxDelivery(messageId, transaction);
        var outer = InboxDelivery.Current;
        InboxDelivery.Current = delivery;
        try
        {
            await next.Send(context);
        }
        finally
        {
            InboxDelivery.Current = outer;
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
        var endpoint = context.ReceiveContext.InputAddress?.AbsolutePath.Trim('/') ?? "endpoint";
        faults.BeforeCommit(messageId, endpoint);
        await transaction.CommitAsync(ct);
        faults.AfterCommit(messageId, endpoint);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("samskaping-inbox");
}
