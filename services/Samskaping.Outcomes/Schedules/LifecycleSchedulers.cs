using MassTransit;
using Microsoft.Extensions.Options;
using Samskaping.Contracts.Cases;
using Samskaping.Contracts.Outcomes;
using Samskaping.Messaging.Inbox;
using Samskaping.Outcomes.CaseFacts;

namespace Samskaping.Outcomes.Schedules;

/// <summary>A closed case gets a closing measurement; follow-ups that would fall after closing are cancelled (until a reopen).</summary>
public sealed class ClosingScheduler(Inbox inbox, ScheduleStore schedules, IOptions<ScheduleOptions> options) : IConsumer<CaseClosed>
{
    public Task Consume(ConsumeContext<CaseClosed> context) =>
        inbox.Receive(context, nameof(ClosingScheduler), async (tx, ct) =>
        {
            var closed = context.Message;
            await CaseFactStore.LifecycleChanged(closed.CaseId, closed: true, closed.ClosedAt, tx, ct);
            await ScheduleStore.FollowLifecycle(closed.CaseId, tx, ct);
            await schedules.Schedule(closed.CaseId, MeasurementKinds.Closing, null, closed.ClosedAt + options.Value.ClosingDueAfter, tx, ct);
        });
}

/// <summary>
/// A reopened case (closed → intake or active) measures on: the follow-ups its closing cancelled that fall after the
/// reopen are due again. Its first schedule is kept otherwise, and the closing measurement may still be answered.
/// </summary>
public sealed class ReopeningScheduler(Inbox inbox) : IConsumer<CaseStatusChanged>
{
    public Task Consume(ConsumeContext<CaseStatusChanged> context)
    {
        var changed = context.Message;
        if (changed.From != CaseStatuses.Closed)
        {
            return Task.CompletedTask;
        }
        return inbox.Receive(context, nameof(ReopeningScheduler), async (tx, ct) =>
        {
            await CaseFactStore.LifecycleChanged(changed.CaseId, closed: false, changed.ChangedAt, tx, ct);
            await ScheduleStore.FollowLifecycle(changed.CaseId, tx, ct);
        });
    }
}
