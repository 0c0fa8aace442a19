using MassTransit;
using Samskaping.Contracts.Cases;
using Samskaping.Coordination.Groups;
using Samskaping.Messaging.Inbox;

namespace Samskaping.Coordination.Consumers;

/// <summary>A closed case takes no more coordination work: changes are refused, a waiting handover is cancelled, reviews stop.</summary>
public sealed class CaseClosedConsumer(Inbox inbox) : IConsumer<CaseClosed>
{
    public Task Consume(ConsumeContext<CaseClosed> context) =>
        inbox.Receive(context, nameof(CaseClosedConsumer), (tx, ct) => GroupStore.Close(context.Message, tx, ct));
}
