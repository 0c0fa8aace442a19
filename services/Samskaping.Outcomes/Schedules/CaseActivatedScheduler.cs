using MassTransit;
using Microsoft.Extensions.Options;
using Samskaping.Contracts.Cases;
using Samskaping.Contracts.Outcomes;
using Samskaping.Messaging.Inbox;
using Samskaping.Outcomes.CaseFacts;

namespace Samskaping.Outcomes.Schedules;

/// <summary>
/// When a case becomes active the family's help starts: a baseline measurement, then follow-ups at the configured
/// months after activation, so change can be measured from where the family started. A reopened case keeps its
/// first schedule (the unique indexes ignore a second activation).
/// </summary>
public sealed class CaseActivatedScheduler(Inbox inbox, ScheduleStore schedules, IOptions<ScheduleOptions> options) : IConsumer<CaseStatusChanged>
{
    public Task Consume(ConsumeContext<CaseStatusChanged> context)
    {
        var changed = context.Message;
        if (changed.To != CaseStatuses.Active)
        {
            return Task.CompletedTask;
        }
        return inbox.Receive(context, nameof(CaseActivatedScheduler), async (tx, ct) =>
        {
            await CaseFactStore.Activated(changed.CaseId, changed.ChangedAt, tx, ct);
            await schedules.Schedule(changed.CaseId, MeasurementKinds.Baseline, null, changed.ChangedAt + options.Value.BaselineDueAfter, tx, ct);
            foreach (var months in options.Value.FollowUps)
            {
                await schedules.Schedule(changed.CaseId, MeasurementKinds.FollowUp, months, changed.ChangedAt.AddMonths(months), tx, ct);
            }
            // A closing that arrived before this activation already applies to the follow-ups just scheduled.
            await ScheduleStore.FollowLifecycle(changed.CaseId, tx, ct);
        });
    }
}
