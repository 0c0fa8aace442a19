using MassTransit;
using Samskaping.Contracts.Coordination;
using Samskaping.Contracts.Grants;
using Samskaping.Contracts.Outcomes;
using Samskaping.Messaging.Inbox;

namespace Samskaping.Cases.Timeline;

/// <summary>
/// Builds the case timeline from the other services' events, each through the inbox (one entry per event, however
/// often it is delivered). One queue, <c>cases-timeline</c>, bound to every event it shows. The cases service's
/// own events are written to the timeline in the transaction of the change itself.
/// </summary>
public sealed class TimelineConsumer(Inbox inbox) :
    IConsumer<CoordinatorAssigned>, IConsumer<CoordinatorHandoverRequested>, IConsumer<SectorJoinedCase>, IConsumer<SectorLeftCase>,
    IConsumer<MeasureAgreed>, IConsumer<MeasureCompleted>, IConsumer<ReviewOverdue>,
    IConsumer<GrantRequested>, IConsumer<GrantApproved>, IConsumer<GrantIncreased>, IConsumer<GrantDeclined>,
    IConsumer<DisbursementPaid>, IConsumer<DisbursementStopped>, IConsumer<DisbursementCancelled>,
    IConsumer<MeasurementCompleted>, IConsumer<NegativeEffectReported>
{
    public Task Consume(ConsumeContext<CoordinatorAssigned> context) => Record(context, TimelineEntry.From(Id(context), context.Message));
    public Task Consume(ConsumeContext<CoordinatorHandoverRequested> context) => Record(context, TimelineEntry.From(Id(context), context.Message));
    public Task Consume(ConsumeContext<SectorJoinedCase> context) => Record(context, TimelineEntry.From(Id(context), context.Message));
    public Task Consume(ConsumeContext<SectorLeftCase> context) => Record(context, TimelineEntry.From(Id(context), context.Message));
    public Task Consume(ConsumeContext<MeasureAgreed> context) => Record(context, TimelineEntry.From(Id(context), context.Message));
    public Task Consume(ConsumeContext<MeasureCompleted> context) => Record(context, TimelineEntry.From(Id(context), context.Message));
    public Task Consume(ConsumeContext<ReviewOverdue> context) => Record(context, TimelineEntry.From(Id(context), context.Message));
    public Task Consume(ConsumeContext<GrantRequested> context) => Record(context, TimelineEntry.From(Id(context), context.Message));
    public Task Consume(ConsumeContext<GrantApproved> context) => Record(context, TimelineEntry.From(Id(context), context.Message));
    public Task Consume(ConsumeContext<GrantIncreased> context) => Record(context, TimelineEntry.From(Id(context), context.Message));
    public Task Consume(ConsumeContext<GrantDeclined> context) => Record(context, TimelineEntry.From(Id(context), context.Message));
    public Task Consume(ConsumeContext<DisbursementPaid> context) => Record(context, TimelineEntry.From(Id(context), context.Message));
    public Task Consume(ConsumeContext<DisbursementStopped> context) => Record(context, TimelineEntry.From(Id(context), context.Message));
    public Task Consume(ConsumeContext<DisbursementCancelled> context) => Record(context, TimelineEntry.From(Id(context), context.Message));
    public Task Consume(ConsumeContext<MeasurementCompleted> context) => Record(context, TimelineEntry.From(Id(context), context.Message));
    public Task Consume(ConsumeContext<NegativeEffectReported> context) => Record(context, TimelineEntry.From(Id(context), context.Message));

    private static Guid Id(ConsumeContext context) =>
        context.MessageId ?? throw new InvalidOperationException("A message without a MessageId cannot be put on the timeline exactly once.");

    private Task<bool> Record<T>(ConsumeContext<T> context, TimelineEntry entry) where T : class =>
        inbox.Receive(context, nameof(TimelineConsumer), (tx, ct) => TimelineStore.Write(entry, tx, ct));
}
