using MassTransit;
using Samskaping.Contracts.Grants;
using Samskaping.Coordination.MyWork;
using Samskaping.Messaging.Inbox;

namespace Samskaping.Coordination.Consumers;

/// <summary>An appeal registered in grants waits in "my work" for the sectors that may see the case.</summary>
public sealed class AppealReceivedConsumer(Inbox inbox) : IConsumer<AppealReceived>
{
    public Task Consume(ConsumeContext<AppealReceived> context) =>
        inbox.Receive(context, nameof(AppealReceivedConsumer), (tx, ct) => AppealStore.Received(context.Message, tx, ct));
}

/// <summary>A decided appeal (or one forwarded to statsforvalteren) no longer waits for the municipality.</summary>
public sealed class AppealDecidedConsumer(Inbox inbox) : IConsumer<AppealDecided>
{
    public Task Consume(ConsumeContext<AppealDecided> context) =>
        inbox.Receive(context, nameof(AppealDecidedConsumer), (tx, ct) => AppealStore.Decided(context.Message, tx, ct));
}
