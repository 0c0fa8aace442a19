using MassTransit;
using Samskaping.Contracts.Cases;
using Samskaping.Coordination.ActionPlan;
using Samskaping.Messaging.Inbox;

namespace Samskaping.Coordination.Consumers;

/// <summary>A goal's text corrected in cases: the action plan shows the corrected text, once per correction.</summary>
public sealed class GoalCorrectedConsumer(Inbox inbox) : IConsumer<GoalCorrected>
{
    public Task Consume(ConsumeContext<GoalCorrected> context) =>
        inbox.Receive(context, nameof(GoalCorrectedConsumer), (tx, ct) => ActionPlanStore.CorrectGoal(context.Message, tx, ct));
}
