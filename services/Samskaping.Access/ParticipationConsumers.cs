using MassTransit;
using Samskaping.Contracts.Cases;
using Samskaping.Contracts.Coordination;
using Samskaping.Messaging.Inbox;

namespace Samskaping.Access;

/// <summary>The opening sector participates from the moment the case exists, before coordination answers.</summary>
public sealed class CaseOpenedParticipationConsumer(Inbox inbox) : IConsumer<CaseOpened>
{
    public Task Consume(ConsumeContext<CaseOpened> context) =>
        inbox.Receive(context, nameof(CaseOpenedParticipationConsumer), (tx, ct) =>
            CaseParticipation.Record(context.Message.CaseId, context.Message.OpenedBySector, "lead", participating: true, context.Message.OpenedAt, tx, ct));
}

public sealed class SectorJoinedCaseConsumer(Inbox inbox) : IConsumer<SectorJoinedCase>
{
    public Task Consume(ConsumeContext<SectorJoinedCase> context) =>
        inbox.Receive(context, nameof(SectorJoinedCaseConsumer), (tx, ct) =>
            CaseParticipation.Record(context.Message.CaseId, context.Message.Sector, context.Message.Role, participating: true, context.Message.JoinedAt, tx, ct));
}

public sealed class SectorLeftCaseConsumer(Inbox inbox) : IConsumer<SectorLeftCase>
{
    public Task Consume(ConsumeContext<SectorLeftCase> context) =>
        inbox.Receive(context, nameof(SectorLeftCaseConsumer), (tx, ct) =>
            CaseParticipation.Record(context.Message.CaseId, context.Message.Sector, "contributor", participating: false, context.Message.LeftAt, tx, ct));
}
