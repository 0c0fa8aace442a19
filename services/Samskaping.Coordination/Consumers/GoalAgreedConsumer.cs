using MassTransit;
using Samskaping.Contracts.Cases;
using Samskaping.Coordination.ActionPlan;
using Samskaping.Messaging.Inbox;

namespace Samskaping.Coordination.Consumers;

/// <summary>A goal agreed with the family becomes part of the case's action plan.</summary>
public sealed class GoalAgreedConsumer(Inbox inbox) : IConsumer<GoalAgreed>
{
    public Task Consume(ConsumeContext<GoalAgreed> context) =>
        inbox.Receive(context, nameof(GoalAgreedConsumer), (tx, ct) => ActionPlanStore.RecordGoal(context.Message, tx, ct));
}
