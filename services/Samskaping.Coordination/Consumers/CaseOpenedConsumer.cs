using MassTransit;
using Samskaping.Contracts.Cases;
using Samskaping.Coordination.Groups;
using Samskaping.Messaging.Inbox;

namespace Samskaping.Coordination.Consumers;

/// <summary>A new case gets its coordination group, with the opening worker's sector as lead.</summary>
public sealed class CaseOpenedConsumer(Inbox inbox, GroupStore groups) : IConsumer<CaseOpened>
{
    public Task Consume(ConsumeContext<CaseOpened> context) =>
        inbox.Receive(context, nameof(CaseOpenedConsumer), (tx, ct) => groups.Create(context.Message, tx, ct));
}
