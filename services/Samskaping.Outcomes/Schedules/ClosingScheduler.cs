using MassTransit;
using Microsoft.Extensions.Options;
using Samskaping.Contracts.Cases;
using Samskaping.Contracts.Outcomes;
using Samskaping.Messaging.Inbox;
using Samskaping.Outcomes.CaseFacts;

namespace Samskaping.Outcomes.Schedules;

/// <summary>A closed case gets a closing measurement; follow-ups that would fall after closing are cancelled.</summary>
public sealed class ClosingScheduler(Inbox inbox, ScheduleStore schedules, IOptions<ScheduleOptions> options) : IConsumer<CaseClosed>
{
    public Task Consume(ConsumeContext<CaseClosed> context) =>
        inbox.Receive(context, nameof(ClosingScheduler), async (tx, ct) =>
        {
            var closed = context.Message;
            await CaseFactStore.Closed(closed.CaseId, closed.ClosedAt, tx, ct);
            await schedules.CancelFollowUpsAfter(closed.CaseId, closed.ClosedAt, tx, ct);
            await schedules.Schedule(closed.CaseId, MeasurementKinds.Closing, null, closed.ClosedAt + options.Value.ClosingDueAfter, tx, ct);
        });
}
