using MassTransit;
using Samskaping.Contracts.Cases;
using Samskaping.Contracts.Coordination;
using Samskaping.Contracts.Grants;
using Samskaping.Messaging.Inbox;

namespace Samskaping.Outcomes.CaseFacts;

/// <summary>The opening sector leads until coordination says otherwise.</summary>
public sealed class CaseOpenedFactsConsumer(Inbox inbox) : IConsumer<CaseOpened>
{
    public Task Consume(ConsumeContext<CaseOpened> context) =>
        inbox.Receive(context, nameof(CaseOpenedFactsConsumer), (tx, ct) =>
            CaseFactStore.Lead(context.Message.CaseId, context.Message.OpenedBySector, context.Message.OpenedAt, tx, ct));
}

/// <summary>A handover accepted: the new lead coordinator's sector leads from then on (reports group by it).</summary>
public sealed class LeadAssignedFactsConsumer(Inbox inbox) : IConsumer<CoordinatorAssigned>
{
    public Task Consume(ConsumeContext<CoordinatorAssigned> context) =>
        inbox.Receive(context, nameof(LeadAssignedFactsConsumer), (tx, ct) =>
            CaseFactStore.Lead(context.Message.CaseId, context.Message.Sector, context.Message.AssignedAt, tx, ct));
}

public sealed class HouseholdMemberAddedConsumer(Inbox inbox) : IConsumer<HouseholdMemberAdded>
{
    public Task Consume(ConsumeContext<HouseholdMemberAdded> context) =>
        inbox.Receive(context, nameof(HouseholdMemberAddedConsumer), (tx, ct) =>
            CaseFactStore.Member(context.Message.CaseId, context.Message.PersonId, context.Message.Role, context.Message.BirthDate, tx, ct));
}

/// <summary>A member's role or birth date corrected in cases: family type and age band follow, once per correction.</summary>
public sealed class HouseholdMemberCorrectedConsumer(Inbox inbox) : IConsumer<HouseholdMemberCorrected>
{
    public Task Consume(ConsumeContext<HouseholdMemberCorrected> context) =>
        inbox.Receive(context, nameof(HouseholdMemberCorrectedConsumer), (tx, ct) => CaseFactStore.MemberCorrected(
            context.Message.CaseId, context.Message.PersonId, context.Message.Role, context.Message.BirthDate, context.Message.CorrectedAt, tx, ct));
}

public sealed class DisbursementPaidConsumer(Inbox inbox) : IConsumer<DisbursementPaid>
{
    public Task Consume(ConsumeContext<DisbursementPaid> context) =>
        inbox.Receive(context, nameof(DisbursementPaidConsumer), (tx, ct) =>
            CaseFactStore.Paid(context.Message.DisbursementId, context.Message.CaseId, context.Message.Amount, context.Message.PaidOn, tx, ct));
}
