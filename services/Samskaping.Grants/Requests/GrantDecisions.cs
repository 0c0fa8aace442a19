using Npgsql;
using Samskaping.Access;
using Samskaping.Contracts.Grants;
using Samskaping.Grants.Disbursements;
using Samskaping.Grants.Funds;
using Samskaping.Grants.Idempotency;
using Samskaping.Grants.Ledger;
using Samskaping.Grants.Letters;
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
    DecisionLetters letters, AccessLog accessLog, GrantsMetrics metrics, TimeProvider clock)
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

    public Task<Result<GrantView>> Approve(Guid grantId, ApprovalTerms terms, string key, CurrentUser user, CancellationToken ct) =>
        idempotency.Run<GrantView>(key, user, $"POST /api/grants/grants/{grantId}/approve", new { grantId, terms.Amount, terms.Reason },
            (tx, ct) => ApproveIn(tx, grantId, terms, user, replaces: null, ct), ct);

    /// <summary>
    /// Approves a requested grant — or, when <paramref name="replaces"/> is the refusal's letter, reverses that refusal
    /// after an appeal — in the caller's transaction, and issues the decision letter with it.
    /// </summary>
    public async Task<Answer<GrantView>> ApproveIn(
        NpgsqlTransaction tx, Guid grantId, ApprovalTerms terms, CurrentUser user, LetterView? replaces, CancellationToken ct)
    {
        var now = clock.Now();
        var grant = (await GrantStore.Lock(tx, grantId, ct))!;
        var fund = (await FundStore.Find(tx.Connection!, tx, grant.FundId, ct))!;
        var expected = replaces is null ? GrantStatuses.Requested : GrantStatuses.Declined;
        if (grant.Status != expected)
        {
            return AlreadyDecided(grant.Status);
        }
        var amount = terms.Amount ?? grant.Amount;
        var partly = amount < grant.Amount;
        if (amount > grant.Amount)
        {
            return Refusal.Unprocessable("More than asked for.", "amount", $"At most the {grant.Amount:F2} NOK asked for.");
        }
        if (partly && terms.Reason is null)
        {
            return Refusal.Unprocessable("A reason is needed.", "reason", "Required when less than asked for is granted: the letter says why.");
        }
        if (partly && (await GrantStore.Instalments(tx, grantId, ct)).Count > 1)
        {
            return Refusal.Unprocessable("A grant in instalments is approved in full or declined.", "amount",
                "Less than asked for can be granted for a one-off payment; decline this one and request the instalments anew.");
        }
        var rule = Decisions.Approval(GrantStatuses.Requested, grant.RequestedBy, amount, fund, user);
        if (FourEyes(rule, amount, fund) is { } forbidden)
        {
            return forbidden;
        }
        if ((await GrantStore.CaseFacts(tx.Connection!, tx, grant.CaseId, ct))?.ClosedAt is not null)
        {
            return Refusal.Conflict("The case is closed.", "Grants of a closed case cannot be approved.");
        }
        if (partly)
        {
            await GrantStore.GrantLess(tx, grantId, amount, ct);
            grant = grant with { Amount = amount };
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
        string[] deciders = rule == ApprovalRule.SecondApprover ? [grant.RequesterName, user.Name] : [user.Name];
        await letters.Issue(tx, new LetterDecision(grantId, partly ? DecisionOutcomes.PartlyGranted : DecisionOutcomes.Granted, grant.Amount,
            terms.Reason, deciders, replaces?.Id), user, now, ct);
        await accessLog.Write(user, grant.CaseId, null, AccessActions.Update, replaces is null ? "approve grant" : "reverse refusal on appeal", tx, ct);
        var view = (await GrantStore.View(tx, grantId, ct))!;
        // The reservation last, sent with COMMIT: the fund's available account is the contended row, so its lock
        // is held for the commit only. Too little money rolls the whole approval back into a 409.
        var reserve = ledger.Prepare(LedgerKinds.Reserve, "approved grant", user.Subject,
            [new Leg(grant.FundId, AccountKinds.Available, -grant.Amount), new Leg(grant.FundId, AccountKinds.Reserved, grant.Amount)],
            grant.Id, null);
        return Answer.Done(view).PostingLast(reserve, refusal => refusal.ToRefusal("amount")) with { Committed = () => metrics.Approved(grant.FundId) };
    }

    /// <summary>
    /// Changes a partly granted decision on appeal (<paramref name="replaces"/> is its letter) to grant more, up to what
    /// was asked for, in the caller's transaction. The new amount is approved by the approval's rules; the increase is
    /// committed to the household's cap and reserved in the fund (posted last), and paid by raising the planned payment
    /// or, when that has left already, by one more; a new letter replaces the appealed one.
    /// </summary>
    public async Task<Answer<GrantView>> RaiseIn(
        NpgsqlTransaction tx, Guid grantId, ApprovalTerms terms, CurrentUser user, LetterView replaces, CancellationToken ct)
    {
        var now = clock.Now();
        var grant = (await GrantStore.Lock(tx, grantId, ct))!;
        var fund = (await FundStore.Find(tx.Connection!, tx, grant.FundId, ct))!;
        var askedFor = await GrantStore.AskedFor(tx, grantId, ct);
        var amount = terms.Amount ?? askedFor;
        if (amount > askedFor)
        {
            return Refusal.Unprocessable("More than asked for.", "amount", $"At most the {askedFor:F2} NOK asked for.");
        }
        // Less than a krone more is a rounding, not a new decision — unless it grants exactly what was asked for.
        if (amount != askedFor && amount < grant.Amount + MinimumIncrease)
        {
            return Refusal.Unprocessable("Not more than granted.", "amount",
                $"At least {MinimumIncrease:F2} NOK more than the {grant.Amount:F2} NOK granted, at most the {askedFor:F2} NOK asked for.");
        }
        var rule = Decisions.Approval(GrantStatuses.Requested, grant.RequestedBy, amount, fund, user);
        if (FourEyes(rule, amount, fund) is { } forbidden)
        {
            return forbidden;
        }
        if ((await GrantStore.CaseFacts(tx.Connection!, tx, grant.CaseId, ct))?.ClosedAt is not null)
        {
            return Refusal.Conflict("The case is closed.", "Grants of a closed case cannot be changed.");
        }
        var increase = amount - grant.Amount;
        var payments = await DisbursementStore.LockOfGrant(tx, grantId, ct);
        var planned = payments.LastOrDefault(d => d.Status == DisbursementStatuses.Planned);
        if (planned is null && !payments.Any(d => d.Status is DisbursementStatuses.Sent or DisbursementStatuses.Paid or DisbursementStatuses.Failed))
        {
            return Refusal.Conflict("The grant's payment was stopped or cancelled.", "Nothing of it is to be paid: request a new grant instead.");
        }
        if (await GrantStore.CommitToHousehold(tx, grant.FundId, grant.HouseholdId, increase, ct) is { } committed)
        {
            return Refusal.Conflict("The household cap would be exceeded.",
                $"The household has {committed:F2} NOK of the fund's cap of {fund.HouseholdCap:F2} NOK this period; {increase:F2} NOK more does not fit.");
        }
        var (decidedBy, second) = rule == ApprovalRule.SecondApprover ? (grant.RequestedBy, user.Subject) : (user.Subject, (string?)null);
        var instalment = new Instalment(planned?.Number ?? payments.Max(d => d.Number) + 1, increase, null);
        if (!await GrantStore.Raise(tx, grantId, amount, instalment, added: planned is null, decidedBy, second, now, ct))
        {
            return Refusal.Conflict("The grant's decision has changed meanwhile.", "Read the grant again.");
        }
        if (planned is null)
        {
            await disbursements.Plan(tx, grant, [instalment], fund, now, ct);
        }
        else if (!await disbursements.Raise(tx, planned, grant, fund, increase, user.Subject, now, ct))
        {
            return Refusal.Conflict("The grant's payment has changed meanwhile.", "Read the grant again.");
        }
        await outbox.Enqueue(new GrantIncreased(grant.CaseId, grant.Id, grant.FundId, amount, increase, decidedBy, second, now), tx, ct);
        string[] deciders = rule == ApprovalRule.SecondApprover ? [grant.RequesterName, user.Name] : [user.Name];
        await letters.Issue(tx, new LetterDecision(grantId, amount == askedFor ? DecisionOutcomes.Granted : DecisionOutcomes.PartlyGranted, amount,
            terms.Reason, deciders, replaces.Id), user, now, ct);
        await accessLog.Write(user, grant.CaseId, null, AccessActions.Update, "change partly granted decision on appeal", tx, ct);
        var view = (await GrantStore.View(tx, grantId, ct))!;
        // The reservation last, as for an approval: too little money rolls the whole change back into a 409.
        var reserve = ledger.Prepare(LedgerKinds.Reserve, "grant raised on appeal", user.Subject,
            [new Leg(grant.FundId, AccountKinds.Available, -increase), new Leg(grant.FundId, AccountKinds.Reserved, increase)],
            grant.Id, null);
        return Answer.Done(view).PostingLast(reserve, refusal => refusal.ToRefusal("amount"));
    }

    /// <summary>Declining moves no money, so it needs no Idempotency-Key: a second decline finds the grant decided (409).</summary>
    public async Task<Result<GrantView>> Decline(Guid grantId, DeclineTerms terms, CurrentUser user, CancellationToken ct)
    {
        await using var tx = await session.BeginTransaction(ct);
        var now = clock.Now();
        var grant = (await GrantStore.Lock(tx, grantId, ct))!;
        if (grant.Status != GrantStatuses.Requested)
        {
            return AlreadyDecided(grant.Status);
        }
        await GrantStore.MarkDeclined(tx, grantId, user.Subject, terms.Reason, now, ct);
        await outbox.Enqueue(new GrantDeclined(grant.CaseId, grant.Id, grant.FundId, terms.Reason, user.Subject, now), tx, ct);
        await letters.Issue(tx, new LetterDecision(grantId, terms.Outcome, 0m, terms.Reason, [user.Name], null), user, now, ct);
        await accessLog.Write(user, grant.CaseId, null, AccessActions.Update, "decline grant", tx, ct);
        var view = (await GrantStore.View(tx, grantId, ct))!;
        await tx.CommitAsync(ct);
        metrics.Declined(grant.FundId);
        return view;
    }

    private const decimal MinimumIncrease = 1m;

    private static Refusal? FourEyes(ApprovalRule rule, decimal amount, Fund fund) => rule switch
    {
        ApprovalRule.NeedsGrantApprover => Refusal.Forbidden("Four eyes: a grant-approver must approve this amount.",
            $"{amount:F2} NOK is above the fund's threshold of {fund.ApprovalThreshold:F2} NOK."),
        ApprovalRule.RequesterCannotApprove => Refusal.Forbidden("Four eyes: you requested this grant, so you cannot approve it.",
            $"{amount:F2} NOK is above the fund's threshold of {fund.ApprovalThreshold:F2} NOK: another grant-approver must approve it."),
        _ => null,
    };

    private static Refusal AlreadyDecided(string status) => Refusal.Conflict("The grant has been decided already.", $"It is {status}.");
}
