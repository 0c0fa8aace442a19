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
/// once: the inbox ignores a redelivered message, and a second CaseClosed finds nothing planned any more.
/// </summary>
public sealed class CaseClosedConsumer(Inbox inbox, GrantCaseStore cases, DisbursementStore disbursements) : IConsumer<CaseClosed>
{
    public const string Reason = "the case was closed";

    public Task Consume(ConsumeContext<CaseClosed> context) =>
        inbox.Receive(context, nameof(CaseClosedConsumer), async (tx, ct) =>
        {
            var closed = context.Message;
            await cases.RecordClosed(closed, tx, ct);
            foreach (var disbursement in await DisbursementStore.LockPlannedOfCase(tx, closed.CaseId, ct))
            {
                if (await disbursements.End(tx, disbursement, DisbursementStatuses.Stopped, Reason, closed.ClosedBy, ct) is { } posting)
                {
                    await DisbursementStore.PostNow(tx, disbursement, posting, ct);
                }
            }
        });
}
