using MassTransit;
using Samskaping.Contracts.Outcomes;
using Samskaping.Coordination.MyWork;
using Samskaping.Messaging.Inbox;

namespace Samskaping.Coordination.Consumers;

/// <summary>A negative effect reported by outcomes: a relay-log entry and a task for the lead coordinator.</summary>
public sealed class NegativeEffectReportedConsumer(Inbox inbox) : IConsumer<NegativeEffectReported>
{
    public Task Consume(ConsumeContext<NegativeEffectReported> context) =>
        inbox.Receive(context, nameof(NegativeEffectReportedConsumer), (tx, ct) => MyWorkStore.RecordNegativeEffect(context.Message, tx, ct));
}
