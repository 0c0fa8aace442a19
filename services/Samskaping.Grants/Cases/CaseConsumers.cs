using MassTransit;
using Samskaping.Contracts.Cases;
using Samskaping.Grants.Disbursements;
using Samskaping.Messaging.Inbox;

namespace Samskaping.Grants.Cases;

/// <summary>Remembers each new case and its household, so grants are requested for a case that exists and capped per household.</summary>
public sealed class CaseOpenedConsumer(Inbox inbox, GrantCaseStore cases) : IConsumer<CaseOpened>
{
    public Task Consume(ConsumeContext<CaseOpened> context) =>
        inbox.Receive(context, nameof(CaseOpenedConsumer), (tx, ct) => cases.Record(context.Message, tx, ct));
}

/// <summary>Learns a case's household from its members, for cases opened before CaseOpened carried it.</summary>
public sealed class HouseholdMemberAddedConsumer(Inbox inbox, GrantCaseStore cases) : IConsumer<HouseholdMemberAdded>
{
    public Task Consume(ConsumeContext<HouseholdMemberAdded> context) =>
        inbox.Receive(context, nameof(HouseholdMemberAddedConsumer), (tx, ct) =>
            cases.RecordHousehold(context.Message.CaseId, context.Message.HouseholdId, tx, ct));
}

/// <summary>
/// When a case closes, its planned disbursements are stopped and their reservations go back to the fund. Exactly
/// once: the inbox ignores a redelivered message, and a second CaseClosed finds nothing planned any more. A close
/// that arrives after the reopen that followed it leaves the case open and stops only what was planned before the
/// reopen, so both orders end alike.
/// </summary>
public sealed class CaseClosedConsumer(Inbox inbox, GrantCaseStore cases, DisbursementStore disbursements) : IConsumer<CaseClosed>
{
    public const string Reason = "the case was closed";

    public Task Consume(ConsumeContext<CaseClosed> context) =>
        inbox.Receive(context, nameof(CaseClosedConsumer), async (tx, ct) =>
        {
            var closed = context.Message;
            var newest = await cases.RecordStatus(closed.CaseId, closed: true, closed.ClosedAt, tx, ct);
            var reopenedAt = newest > closed.ClosedAt ? newest : (DateTimeOffset?)null;
            foreach (var disbursement in await DisbursementStore.LockPlannedOfCase(tx, closed.CaseId, reopenedAt, ct))
            {
                if (await disbursements.End(tx, disbursement, DisbursementStatuses.Stopped, Reason, closed.ClosedBy, ct) is { } posting)
                {
                    await DisbursementStore.PostNow(tx, disbursement, posting, ct);
                }
            }
        });
}

/// <summary>A reopened case (closed → intake or active) takes grant requests and approvals again.</summary>
public sealed class CaseStatusChangedConsumer(Inbox inbox, GrantCaseStore cases) : IConsumer<CaseStatusChanged>
{
    public Task Consume(ConsumeContext<CaseStatusChanged> context)
    {
        var changed = context.Message;
        // The closing itself comes as CaseClosed, with its effects; only a move out of closed is news here.
        if (changed.From != CaseStatuses.Closed)
        {
            return Task.CompletedTask;
        }
        return inbox.Receive(context, nameof(CaseStatusChangedConsumer), (tx, ct) => cases.RecordStatus(changed.CaseId, closed: false, changed.ChangedAt, tx, ct));
    }
}
