using Dapper;
using Npgsql;
using Samskaping.Access;
using Samskaping.Contracts.Grants;
using Samskaping.Grants.Funds;
using Samskaping.Grants.Idempotency;
using Samskaping.Grants.Ledger;
using Samskaping.Grants.Requests;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Disbursements;

/// <summary>A disbursement with what a transition needs, read under a row lock.</summary>
public sealed record DisbursementRow(Guid Id, Guid GrantId, Guid CaseId, Guid FundId, Guid HouseholdId, int Number, decimal Amount, string Status);

/// <summary>
/// The payments of approved grants and their transitions. Each transition is a conditional update
/// (<c>WHERE status = 'planned'</c>) plus one ledger transaction plus its event in the outbox, all in one
/// transaction: a second attempt finds nothing planned and changes nothing. A worker's transition is an idempotent
/// request (<see cref="Pay"/>, <see cref="Stop"/>, <see cref="Cancel"/>); a closing case's runs in its consumer's
/// transaction (<see cref="End"/>).
/// </summary>
public sealed class DisbursementStore(IdempotentRequests idempotency, FundLedger ledger, OutboxWriter outbox, AccessLog accessLog, TimeProvider clock)
{
    internal const string RowColumns = """
        d.id AS Id, d.grant_id AS GrantId, d.case_id AS CaseId, d.fund_id AS FundId, g.household_id AS HouseholdId,
        d.number AS Number, d.amount AS Amount, d.status AS Status
        """;

    /// <summary>Plans one disbursement per instalment of an approved grant and announces each.</summary>
    public async Task Plan(NpgsqlTransaction tx, GrantRow grant, IReadOnlyList<Instalment> instalments, Fund fund, DateTimeOffset now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        foreach (var instalment in instalments)
        {
            var id = Guid.CreateVersion7(now);
            var dueOn = instalment.DueOn ?? today;
            await tx.Connection!.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO grants.disbursements (id, grant_id, case_id, fund_id, number, amount, due_on, status, planned_at)
                VALUES (@id, @grantId, @caseId, @fundId, @number, @amount, @dueOn, 'planned', @now)
                """,
                new
                {
                    id, grantId = grant.Id, caseId = grant.CaseId, fundId = grant.FundId, number = instalment.Number,
                    amount = instalment.Amount, dueOn = dueOn.ToDateTime(TimeOnly.MinValue), now,
                }, tx, cancellationToken: ct));
            await outbox.Enqueue(new DisbursementPlanned(
                grant.CaseId, grant.Id, id, grant.FundId, instalment.Amount, dueOn, grant.PayeeKind, grant.PayeeName, grant.AccountNumber,
                grant.OrganisationNumber, grant.Purpose, fund.ReportToBenefitSystem, now), tx, ct);
        }
    }

    /// <summary>
    /// Raises a planned payment by <paramref name="increase"/> (a partly granted decision changed on appeal) and
    /// announces its plan again with the new amount; false when it is not planned (any more). The caller reserves the
    /// increase in the ledger, so the reserved account keeps holding every planned payment's amount.
    /// </summary>
    public async Task<bool> Raise(NpgsqlTransaction tx, DisbursementRow d, GrantRow grant, Fund fund, decimal increase, string by, DateTimeOffset now, CancellationToken ct)
    {
        var raised = await tx.Connection!.QuerySingleOrDefaultAsync<RaisedPlan>(new CommandDefinition(
            """
            UPDATE grants.disbursements SET amount = amount + @increase, changed_by = @by, changed_at = @now
            WHERE id = @id AND status = 'planned'
            RETURNING amount AS Amount, due_on AS DueOn
            """, new { id = d.Id, increase, by, now }, tx, cancellationToken: ct));
        if (raised is not { } plan)
        {
            return false;
        }
        await outbox.Enqueue(new DisbursementPlanned(
            d.CaseId, d.GrantId, d.Id, d.FundId, plan.Amount, plan.DueOn, grant.PayeeKind, grant.PayeeName, grant.AccountNumber,
            grant.OrganisationNumber, grant.Purpose, fund.ReportToBenefitSystem, now), tx, ct);
        return true;
    }

    /// <summary>A grant's disbursements, locked, in the order of their numbers.</summary>
    public static async Task<IReadOnlyList<DisbursementRow>> LockOfGrant(NpgsqlTransaction tx, Guid grantId, CancellationToken ct) =>
        (await tx.Connection!.QueryAsync<DisbursementRow>(new CommandDefinition(
            $"""
            SELECT {RowColumns} FROM grants.disbursements d JOIN grants.grants g ON g.id = d.grant_id
            WHERE d.grant_id = @grantId ORDER BY d.number FOR UPDATE OF d
            """, new { grantId }, tx, cancellationToken: ct))).AsList();

    internal static Task<DisbursementRow?> Lock(NpgsqlTransaction tx, Guid disbursementId, CancellationToken ct) =>
        tx.Connection!.QuerySingleOrDefaultAsync<DisbursementRow>(new CommandDefinition(
            $"SELECT {RowColumns} FROM grants.disbursements d JOIN grants.grants g ON g.id = d.grant_id WHERE d.id = @disbursementId FOR UPDATE OF d",
            new { disbursementId }, tx, cancellationToken: ct));

    /// <summary>The planned disbursements of a case, locked in id order (so two closings never deadlock); only those planned
    /// before <paramref name="plannedBefore"/> when given.</summary>
    public static async Task<IReadOnlyList<DisbursementRow>> LockPlannedOfCase(NpgsqlTransaction tx, Guid caseId, DateTimeOffset? plannedBefore, CancellationToken ct) =>
        (await tx.Connection!.QueryAsync<DisbursementRow>(new CommandDefinition(
            $"""
            SELECT {RowColumns} FROM grants.disbursements d JOIN grants.grants g ON g.id = d.grant_id
            WHERE d.case_id = @caseId AND d.status = 'planned' AND (@plannedBefore::timestamptz IS NULL OR d.planned_at < @plannedBefore)
            ORDER BY d.id FOR UPDATE OF d
            """, new { caseId, plannedBefore }, tx, cancellationToken: ct))).AsList();

    /// <summary>The same 404 whether the disbursement is missing or in a case the caller may not see.</summary>
    public static Refusal NotFound(Guid disbursementId) =>
        Refusal.NotFound("Disbursement not found.", $"There is no disbursement {disbursementId} in a case your sector takes part in.");

    /// <summary>The case a disbursement belongs to, for the access check (<see cref="CaseOf"/>); null when there is none.</summary>
    public static Task<Guid?> CaseOf(Guid disbursementId, NpgsqlConnection connection, CancellationToken ct) =>
        connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT case_id FROM grants.disbursements WHERE id = @disbursementId", new { disbursementId }, cancellationToken: ct));

    /// <summary>Planned → paid (reserved → paid in the ledger).</summary>
    public Task<Result<GrantView>> Pay(
        Guid disbursementId, DateOnly paidOn, string reference, string key, MarkPaid body, CurrentUser user, CancellationToken ct) =>
        Transition(disbursementId, "paid", key, body, user, (tx, d, ct) => Paid(tx, d, paidOn, reference, $"paid by hand: {reference}", user.Subject, ct), ct);

    /// <summary>Planned → stopped (reserved → available; the household's cap is given back).</summary>
    public Task<Result<GrantView>> Stop(Guid disbursementId, string reason, string key, EndDisbursement body, CurrentUser user, CancellationToken ct) =>
        Transition(disbursementId, "stop", key, body, user, (tx, d, ct) => End(tx, d, DisbursementStatuses.Stopped, reason, user.Subject, ct), ct);

    /// <summary>Planned → cancelled (reserved → available; the household's cap is given back).</summary>
    public Task<Result<GrantView>> Cancel(Guid disbursementId, string reason, string key, EndDisbursement body, CurrentUser user, CancellationToken ct) =>
        Transition(disbursementId, "cancel", key, body, user, (tx, d, ct) => End(tx, d, DisbursementStatuses.Cancelled, reason, user.Subject, ct), ct);

    private Task<Result<GrantView>> Transition(
        Guid disbursementId, string action, string key, object body, CurrentUser user,
        Func<NpgsqlTransaction, DisbursementRow, CancellationToken, Task<Posting?>> move, CancellationToken ct) =>
        idempotency.Run<GrantView>(key, user, $"POST /api/grants/disbursements/{disbursementId}/{action}", body, async (tx, ct) =>
        {
            var disbursement = (await Lock(tx, disbursementId, ct))!;
            if (await move(tx, disbursement, ct) is not { } posting)
            {
                return Refusal.Conflict("The disbursement cannot change this way.",
                    $"It is {disbursement.Status}; a planned disbursement can be paid, stopped or cancelled, a sent one (at the bank) only marked paid.");
            }
            await accessLog.Write(user, disbursement.CaseId, null, AccessActions.Update, $"disbursement {action}", tx, ct);
            var view = (await GrantStore.View(tx, disbursement.GrantId, ct))!;
            // The ledger posting last, sent with COMMIT (the fund's account rows are locked for the commit only).
            return Answer.Done(view).PostingLast(posting, refusal => throw Broken(disbursement, refusal));
        }, ct);

    /// <summary>
    /// Planned or sent → paid. Returns the ledger posting that completes it (reserved → paid), for the caller to send
    /// last (<see cref="FundLedger.Commit"/>, so the fund's account rows are locked only for the commit) or now
    /// (<see cref="PostNow"/>); null when it could not move. <paramref name="description"/> says in the ledger how it
    /// was paid (by hand, or by the bank's notification).
    /// </summary>
    public async Task<Posting?> Paid(NpgsqlTransaction tx, DisbursementRow d, DateOnly paidOn, string reference, string description, string by, CancellationToken ct)
    {
        var now = clock.Now();
        if (!await Move(tx, d, DisbursementStatuses.Paid, paidOn, reference, null, by, now, ct))
        {
            return null;
        }
        await outbox.Enqueue(new DisbursementPaid(d.CaseId, d.GrantId, d.Id, d.FundId, d.Amount, paidOn, reference, now), tx, ct);
        return ledger.Prepare(LedgerKinds.Pay, description, by,
            [new Leg(d.FundId, AccountKinds.Reserved, -d.Amount), new Leg(d.FundId, AccountKinds.Paid, d.Amount)], d.GrantId, d.Id);
    }

    /// <summary>
    /// Planned → stopped or cancelled: the household's cap is given back, and the returned posting gives the
    /// reservation back to available (send it last with <see cref="FundLedger.Commit"/>, or now with <see cref="PostNow"/>).
    /// Null when it was not planned (any more).
    /// </summary>
    public async Task<Posting?> End(NpgsqlTransaction tx, DisbursementRow d, string to, string reason, string by, CancellationToken ct)
    {
        var now = clock.Now();
        if (!await Move(tx, d, to, null, null, reason, by, now, ct))
        {
            return null;
        }
        await GrantStore.ReleaseFromHousehold(tx, d.FundId, d.HouseholdId, d.Amount, ct);
        if (to == DisbursementStatuses.Stopped)
        {
            await outbox.Enqueue(new DisbursementStopped(d.CaseId, d.GrantId, d.Id, d.FundId, d.Amount, reason, now), tx, ct);
        }
        else
        {
            await outbox.Enqueue(new DisbursementCancelled(d.CaseId, d.GrantId, d.Id, d.FundId, d.Amount, reason, now), tx, ct);
        }
        return ledger.Prepare(LedgerKinds.Release, $"{to}: {reason}", by,
            [new Leg(d.FundId, AccountKinds.Reserved, -d.Amount), new Leg(d.FundId, AccountKinds.Available, d.Amount)], d.GrantId, d.Id);
    }

    /// <summary>
    /// Sent → failed (the bank rejected it): the household's cap is given back, and the returned posting gives the
    /// reservation back to available; null when it was not sent (any more), so a second import releases nothing.
    /// </summary>
    public async Task<Posting?> Failed(NpgsqlTransaction tx, DisbursementRow d, string? code, string reason, string by, CancellationToken ct)
    {
        var now = clock.Now();
        if (d.Status != DisbursementStatuses.Sent || !await Move(tx, d, DisbursementStatuses.Failed, null, null, reason, by, now, ct))
        {
            return null;
        }
        await GrantStore.ReleaseFromHousehold(tx, d.FundId, d.HouseholdId, d.Amount, ct);
        await outbox.Enqueue(new DisbursementFailed(d.CaseId, d.GrantId, d.Id, d.FundId, d.Amount, code, reason, now), tx, ct);
        return ledger.Prepare(LedgerKinds.Release, $"failed at the bank: {reason}", by,
            [new Leg(d.FundId, AccountKinds.Reserved, -d.Amount), new Leg(d.FundId, AccountKinds.Available, d.Amount)], d.GrantId, d.Id);
    }

    /// <summary>Sends a transition's posting now, inside <paramref name="tx"/> (when someone else commits, e.g. the inbox).</summary>
    public static async Task PostNow(NpgsqlTransaction tx, DisbursementRow d, Posting posting, CancellationToken ct)
    {
        if (await FundLedger.Post(tx, posting, ct) is { } refusal)
        {
            throw Broken(d, refusal);
        }
    }

    /// <summary>
    /// A planned disbursement's amount is always in the reserved account (approval put it there), and paying or
    /// releasing it moves money within its fund, so a refusal means the ledger and the disbursements disagree: fail
    /// loudly, everything rolls back.
    /// </summary>
    private static InvalidOperationException Broken(DisbursementRow d, LedgerRefusal refusal) =>
        new($"Disbursement {d.Id}: {refusal.Describe()}");

    private static async Task<bool> Move(
        NpgsqlTransaction tx, DisbursementRow d, string to, DateOnly? paidOn, string? reference, string? reason, string by, DateTimeOffset now, CancellationToken ct)
    {
        if (!DisbursementStatuses.CanMove(d.Status, to))
        {
            return false;
        }
        var moved = await tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            UPDATE grants.disbursements
            SET status = @to, paid_on = @paidOn, payment_reference = @reference, reason = @reason, changed_by = @by, changed_at = @now
            WHERE id = @id AND status = @from
            """,
            new { id = d.Id, from = d.Status, to, paidOn = paidOn?.ToDateTime(TimeOnly.MinValue), reference, reason, by, now }, tx, cancellationToken: ct));
        return moved == 1;
    }

    private sealed record RaisedPlan(decimal Amount, DateOnly DueOn);
}
