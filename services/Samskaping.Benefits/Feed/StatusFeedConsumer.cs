using MassTransit;
using Samskaping.Contracts.Cases;
using Samskaping.Contracts.Grants;
using Samskaping.Messaging.Inbox;

namespace Samskaping.Benefits.Feed;

/// <summary>
/// Stores the cases' and grants' events the status feed is built from, and rebuilds the case's document in the same
/// inbox transaction. One consumer (one queue) for all of them; events may arrive in any order.
/// </summary>
public sealed class StatusFeedConsumer(Inbox inbox, FeedFactStore facts, FeedProjection projection) :
    IConsumer<CaseOpened>,
    IConsumer<CaseStatusChanged>,
    IConsumer<CaseClosed>,
    IConsumer<GrantRequested>,
    IConsumer<GrantApproved>,
    IConsumer<GrantDeclined>,
    IConsumer<DisbursementPlanned>,
    IConsumer<DisbursementPaid>,
    IConsumer<DisbursementStopped>,
    IConsumer<DisbursementCancelled>,
    IConsumer<DecisionLetterIssued>,
    IConsumer<AppealReceived>,
    IConsumer<HouseholdMemberAdded>,
    IConsumer<HouseholdMemberCorrected>
{
    public Task Consume(ConsumeContext<CaseOpened> context) =>
        Apply(context, FactKinds.CaseOpened, context.Message.CaseId, context.Message.CaseId, context.Message.OpenedAt);

    // Only a reopening changes the document; the status change is kept so that it does whenever the grant arrives.
    public Task Consume(ConsumeContext<CaseStatusChanged> context) =>
        Apply(context, FactKinds.CaseStatusChanged, context.Message.CaseId, context.Message.CaseId, context.Message.ChangedAt);

    public Task Consume(ConsumeContext<CaseClosed> context) =>
        Apply(context, FactKinds.CaseClosed, context.Message.CaseId, context.Message.CaseId, context.Message.ClosedAt);

    public Task Consume(ConsumeContext<GrantRequested> context) =>
        context.Message.ReportToBenefitSystem
            ? Apply(context, FactKinds.GrantRequested, context.Message.CaseId, context.Message.GrantId, context.Message.RequestedAt)
            : Task.FromResult(false);

    public Task Consume(ConsumeContext<GrantApproved> context) =>
        Apply(context, FactKinds.GrantApproved, context.Message.CaseId, context.Message.GrantId, context.Message.ApprovedAt);

    public Task Consume(ConsumeContext<GrantDeclined> context) =>
        Apply(context, FactKinds.GrantDeclined, context.Message.CaseId, context.Message.GrantId, context.Message.DeclinedAt);

    public Task Consume(ConsumeContext<DisbursementPlanned> context) =>
        context.Message.ReportToBenefitSystem
            ? Apply(context, FactKinds.DisbursementPlanned, context.Message.CaseId, context.Message.DisbursementId, context.Message.PlannedAt)
            : Task.FromResult(false);

    public Task Consume(ConsumeContext<DisbursementPaid> context) =>
        Apply(context, FactKinds.DisbursementPaid, context.Message.CaseId, context.Message.DisbursementId, context.Message.RecordedAt);

    public Task Consume(ConsumeContext<DisbursementStopped> context) =>
        Apply(context, FactKinds.DisbursementStopped, context.Message.CaseId, context.Message.DisbursementId, context.Message.StoppedAt);

    public Task Consume(ConsumeContext<DisbursementCancelled> context) =>
        Apply(context, FactKinds.DisbursementCancelled, context.Message.CaseId, context.Message.DisbursementId, context.Message.CancelledAt);

    public Task Consume(ConsumeContext<DecisionLetterIssued> context) =>
        Apply(context, FactKinds.DecisionLetterIssued, context.Message.CaseId, context.Message.LetterId, context.Message.IssuedAt);

    public Task Consume(ConsumeContext<AppealReceived> context) =>
        Apply(context, FactKinds.AppealReceived, context.Message.CaseId, context.Message.AppealId, context.Message.RegisteredAt);

    // An adult joining the household may be the applicant a waiting feed needs: look again now, not after the backoff.
    public Task Consume(ConsumeContext<HouseholdMemberAdded> context) =>
        context.Message.Role is MemberRoles.Parent or MemberRoles.Guardian or MemberRoles.OtherAdult
            ? inbox.Receive(context, $"{nameof(StatusFeedConsumer)}.{nameof(HouseholdMemberAdded)}",
                (tx, ct) => projection.WakeIfWaitingForApplicant(context.Message.CaseId, tx, ct))
            : Task.FromResult(false);

    // A corrected identity number, or a member corrected into an adult role, may give a waiting feed its applicant.
    public Task Consume(ConsumeContext<HouseholdMemberCorrected> context) =>
        context.Message.Field is CorrectedFields.MemberIdentityNumber or CorrectedFields.MemberRole
            && context.Message.HasIdentityNumber && context.Message.Role is MemberRoles.Parent or MemberRoles.Guardian or MemberRoles.OtherAdult
            ? inbox.Receive(context, $"{nameof(StatusFeedConsumer)}.{nameof(HouseholdMemberCorrected)}",
                (tx, ct) => projection.WakeIfWaitingForApplicant(context.Message.CaseId, tx, ct))
            : Task.FromResult(false);

    private Task<bool> Apply<T>(ConsumeContext<T> context, string kind, Guid caseId, Guid subjectId, DateTimeOffset at) where T : class =>
        inbox.Receive(context, $"{nameof(StatusFeedConsumer)}.{typeof(T).Name}", async (tx, ct) =>
        {
            await facts.Record(kind, caseId, subjectId, at, context.Message, tx, ct);
            await projection.Refresh(caseId, tx, ct);
        });
}
