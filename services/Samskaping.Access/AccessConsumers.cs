using MassTransit;
using Samskaping.Contracts.Cases;
using Samskaping.Contracts.Coordination;
using Samskaping.Messaging.Inbox;

namespace Samskaping.Access;

// The access read model's consumers, one per event that changes it (AccessExtensions.AddCaseAccessConsumers).

/// <summary>The opening sector participates as lead, and the opening worker is lead coordinator, from the moment
/// the case exists: CaseOpened is the only event about it (<see cref="CaseAccess.RecordOpened"/>).</summary>
public sealed class CaseOpenedAccessConsumer(Inbox inbox) : IConsumer<CaseOpened>
{
    public Task Consume(ConsumeContext<CaseOpened> context) =>
        inbox.Receive(context, nameof(CaseOpenedAccessConsumer), (tx, ct) =>
            CaseAccess.RecordOpened(context.Message.CaseId, context.Message.OpenedBySector, context.Message.OpenedBy, context.Message.OpenedAt, tx, ct));
}

public sealed class SectorJoinedCaseAccessConsumer(Inbox inbox) : IConsumer<SectorJoinedCase>
{
    public Task Consume(ConsumeContext<SectorJoinedCase> context) =>
        inbox.Receive(context, nameof(SectorJoinedCaseAccessConsumer), (tx, ct) =>
            CaseParticipation.Record(context.Message.CaseId, context.Message.Sector, context.Message.Role, participating: true, context.Message.JoinedAt, tx, ct));
}

public sealed class SectorLeftCaseAccessConsumer(Inbox inbox) : IConsumer<SectorLeftCase>
{
    public Task Consume(ConsumeContext<SectorLeftCase> context) =>
        inbox.Receive(context, nameof(SectorLeftCaseAccessConsumer), (tx, ct) =>
            CaseParticipation.Record(context.Message.CaseId, context.Message.Sector, "contributor", participating: false, context.Message.LeftAt, tx, ct));
}

public sealed class CoordinatorAssignedAccessConsumer(Inbox inbox) : IConsumer<CoordinatorAssigned>
{
    public Task Consume(ConsumeContext<CoordinatorAssigned> context) =>
        inbox.Receive(context, nameof(CoordinatorAssignedAccessConsumer), (tx, ct) => CaseAccess.RecordLead(context.Message, tx, ct));
}

public sealed class ConsentGivenAccessConsumer(Inbox inbox) : IConsumer<ConsentGiven>
{
    public Task Consume(ConsumeContext<ConsentGiven> context) =>
        inbox.Receive(context, nameof(ConsentGivenAccessConsumer), (tx, ct) => CaseAccess.RecordConsent(context.Message, tx, ct));
}

public sealed class ConsentWithdrawnAccessConsumer(Inbox inbox) : IConsumer<ConsentWithdrawn>
{
    public Task Consume(ConsumeContext<ConsentWithdrawn> context) =>
        inbox.Receive(context, nameof(ConsentWithdrawnAccessConsumer), (tx, ct) => CaseAccess.RecordWithdrawal(context.Message, tx, ct));
}
