using MassTransit;
using Samskaping.Contracts.Cases;
using Samskaping.Coordination.Groups;
using Samskaping.Messaging.Inbox;

namespace Samskaping.Coordination.Consumers;

/// <summary>A closed case takes no more coordination work: changes are refused, a waiting handover is cancelled, reviews stop.</summary>
public sealed class CaseClosedConsumer(Inbox inbox) : IConsumer<CaseClosed>
{
    public Task Consume(ConsumeContext<CaseClosed> context) =>
        inbox.Receive(context, nameof(CaseClosedConsumer), (tx, ct) =>
            GroupStore.RecordStatus(context.Message.CaseId, closed: true, context.Message.ClosedAt, tx, ct));
}

/// <summary>A reopened case (closed → intake or active) takes coordination work again: relay log, plan, handovers, reviews.</summary>
public sealed class CaseStatusChangedConsumer(Inbox inbox) : IConsumer<CaseStatusChanged>
{
    public Task Consume(ConsumeContext<CaseStatusChanged> context)
    {
        var changed = context.Message;
        // The closing itself comes as CaseClosed; only a move out of closed is news here.
        if (changed.From != CaseStatuses.Closed)
        {
            return Task.CompletedTask;
        }
        return inbox.Receive(context, nameof(CaseStatusChangedConsumer), (tx, ct) => GroupStore.RecordStatus(changed.CaseId, closed: false, changed.ChangedAt, tx, ct));
    }
}
