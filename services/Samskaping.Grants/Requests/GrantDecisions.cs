using Npgsql;
using Samskaping.Access;
using Samskaping.Contracts.Grants;
using Samskaping.Grants.Disbursements;
using Samskaping.Grants.Funds;
using Samskaping.Grants.Idempotency;
using Samskaping.Grants.Ledger;
using Samskaping.Messaging.Database;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Requests;

/// <summary>
/// Requesting, approving and declining a grant of a case the caller may see (the route's access check has run). Each
/// is one transaction: the grant's rows, its events in the outbox, the access-log entry and — for the money-moving
/// ones — the idempotency key's row and the ledger posting commit together or not at all.
/// </summary>
public sealed class GrantDecisions(
    DbSession session, IdempotentRequests idempotency, FundLedger ledger, DisbursementStore disbursements, OutboxWriter outbox,
    AccessLog accessLog, GrantsMetrics metrics, TimeProvider clock)
{
    public Task<Result<GrantView>> Request(Guid caseId, GrantRequest request, string key, RequestGrant body, CurrentUser user, CancellationToken ct) =>
        idempotency.Run<GrantView>(key, user, $"POST /api/grants/cases/{caseId}/grants", body, async (tx, ct) =>
        {
            var now = clock.Now();
            var facts = await GrantStore.CaseFacts(tx.Connection!, tx, caseId, ct);
            if (facts is not { Opened: true })
            {
                return Refusal.CaseNotFound(caseId);
            }
            if (facts.ClosedAt is not null)
            {
                return Refusal.Conflict("The case is closed.", "Grants cannot be requested for a closed case.");
            }
            var fund = await FundStore.Find(tx.Connection!, tx, request.FundId, ct);
            if (fund is null)
            {
                return Refusal.Unprocessable("Unknown fund.", "fundId", $"There is no fund {request.FundId}.");
            }
            if (!fund.IsOpenOn(DateOnly.FromDateTime(now.UtcDateTime)))
            {
                return Refusal.Conflict("The fund's period does not include today.",
                    $"Fund '{fund.Name}' runs from {fund.PeriodStart:yyyy-MM-dd} until {fund.PeriodEnd:yyyy-MM-dd} (exclusive).");
            }
            var grantId = Guid.CreateVersion7(now);
            await GrantStore.Insert(tx, grantId, facts, request, user, now, ct);
            await outbox.Enqueue(new GrantRequested(caseId, grantId, facts.HouseholdId, fund.Id, request.Amount, request.Purpose,
                request.Category, user.Subject, user.Sector, now, fund.ReportToBenefitSystem), tx, ct);
            await accessLog.Write(user, caseId, null, AccessActions.Create, "request grant", tx, ct);
            return Answer.Done((await GrantStore.View(tx, grantId, ct))!, $"/api/grants/grants/{grantId}") with { Committed = () => metrics.Requested(fund.Id) };
        }, ct);

    public Task<Result<GrantView>> Approve(Guid grantId, string key, CurrentUser user, CancellationToken ct) =>
        idempotency.Run<GrantView>(key, user, $"POST /api/grants/grants/{grantId}/approve", new { grantId }, async (tx, ct) =>
        {
            var now = clock.Now();
            var grant = (await GrantStore.Lock(tx, grantId, ct))!;
            var fund = (await FundStore.Find(tx.Connection!, tx, grant.FundId, ct))!;
            var rule = Decisions.Approval(grant.Status, grant.RequestedBy, grant.Amount, fund, user);
            switch (rule)
            {
                case ApprovalRule.AlreadyDecided:
                    return AlreadyDecided(grant.Status);
                case ApprovalRule.NeedsGrantApprover:
                    return Refusal.Forbidden("Four eyes: a grant-approver must approve this amount.",
                        $"{grant.Amount:F2} NOK is above the fund's threshold of {fund.ApprovalThreshold:F2} NOK.");
                case ApprovalRule.RequesterCannotApprove:
                    return Refusal.Forbidden("Four eyes: you requested this grant, so you cannot approve it.",
                        $"{grant.Amount:F2} NOK is above the fund's threshold of {fund.ApprovalThreshold:F2} NOK: another grant-approver must approve it.");
            }
            if ((await GrantStore.CaseFacts(tx.Connection!, tx, grant.CaseId, ct))?.ClosedAt is not null)
            {
                return Refusal.Conflict("The case is closed.", "Grants of a closed case cannot be approved.");
            }
            if (await GrantStore.CommitToHousehold(tx, grant.FundId, grant.HouseholdId, grant.Amount, ct) is { } committed)
            {
                return Refusal.Conflict("The household cap would be exceeded.",
                    $"The household has {committed:F2} NOK of the fund's cap of {fund.HouseholdCap:F2} NOK this period; {grant.Amount:F2} NOK more does not fit.");
            }
            var (decidedBy, second) = rule == ApprovalRule.SecondApprover ? (grant.RequestedBy, user.Subject) : (user.Subject, (string?)null);
            await GrantStore.MarkApproved(tx, grantId, decidedBy, second, now, ct);
            await outbox.Enqueue(new GrantApproved(grant.CaseId, grant.Id, grant.FundId, grant.Amount, decidedBy, second, now), tx, ct);
            await disbursements.Plan(tx, grant, await GrantStore.Instalments(tx, grantId, ct), fund, now, ct);
            await accessLog.Write(user, grant.CaseId, null, AccessActions.Update, "approve grant", tx, ct);
            var view = (await GrantStore.View(tx, grantId, ct))!;
            // The reservation last, sent with COMMIT: the fund's available account is the contended row, so its lock
            // is held for the commit only. Too little money rolls the whole approval back into a 409.
            var reserve = ledger.Prepare(LedgerKinds.Reserve, "approved grant", user.Subject,
                [new Leg(grant.FundId, AccountKinds.Available, -grant.Amount), new Leg(grant.FundId, AccountKinds.Reserved, grant.Amount)],
                grant.Id, null);
            return Answer.Done(view).PostingLast(reserve, refusal => refusal.ToRefusal("amount")) with { Committed = () => metrics.Approved(grant.FundId) };
        }, ct);

    /// <summary>Declining moves no money, so it needs no Idempotency-Key: a second decline finds the grant decided (409).</summary>
    public async Task<Result<GrantView>> Decline(Guid grantId, string reason, CurrentUser user, CancellationToken ct)
    {
        await using var tx = await session.BeginTransaction(ct);
        var now = clock.Now();
        var grant = (await GrantStore.Lock(tx, grantId, ct))!;
        if (grant.Status != GrantStatuses.Requested)
        {
            return AlreadyDecided(grant.Status);
        }
        await GrantStore.MarkDeclined(tx, grantId, user.Subject, reason, now, ct);
        await outbox.Enqueue(new GrantDeclined(grant.CaseId, grant.Id, grant.FundId, reason, user.Subject, now), tx, ct);
        await accessLog.Write(user, grant.CaseId, null, AccessActions.Update, "decline grant", tx, ct);
        var view = (await GrantStore.View(tx, grantId, ct))!;
        await tx.CommitAsync(ct);
        metrics.Declined(grant.FundId);
        return view;
    }

    private static Refusal AlreadyDecided(string status) => Refusal.Conflict("The grant has been decided already.", $"It is {status}.");
}
