using MassTransit;
using Microsoft.Extensions.Options;
using Samskaping.Contracts.Cases;
using Samskaping.Messaging.Inbox;

namespace Samskaping.Outcomes.Schedules;

/// <summary>A new case gets a baseline measurement, so change can later be measured from where the family started.</summary>
public sealed class BaselineScheduler(Inbox inbox, ScheduleStore schedules, IOptions<ScheduleOptions> options) : IConsumer<CaseOpened>
{
    public Task Consume(ConsumeContext<CaseOpened> context) =>
        inbox.Receive(context, nameof(BaselineScheduler), (tx, ct) =>
            schedules.ScheduleBaseline(context.Message.CaseId, context.Message.OpenedAt + options.Value.BaselineDueAfter, tx, ct));
}
