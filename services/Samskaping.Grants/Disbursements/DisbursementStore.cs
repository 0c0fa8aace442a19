using Dapper;
using Npgsql;
using Samskaping.Contracts.Grants;
using Samskaping.Grants.Funds;
using Samskaping.Grants.Ledger;
using Samskaping.Grants.Requests;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Disbursements;

/// <summary>A disbursement with what a transition needs, read under a row lock.</summary>
public sealed record DisbursementRow(Guid Id, Guid GrantId, Guid CaseId, Guid FundId, Guid HouseholdId, decimal Amount, string Status);

/// <summary>
/// The payments of approved grants and their transitions. Each transition is a conditional update
/// (<c>WHERE status = 'planned'</c>) plus one ledger transaction plus its event in the outbox, all in the
/// caller's transaction: a second attempt finds nothing planned and changes nothing.
/// </summary>
public sealed class DisbursementStore(NpgsqlDataSource dataSource, FundLedger ledger, Outbox outbox, TimeProvider clock)
{
    private const string RowColumns = """
        d.id AS Id, d.grant_id AS GrantId, d.case_id AS CaseId, d.fund_id AS FundId, g.household_id AS HouseholdId,
        d.amount AS Amount, d.status AS Status
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

    public static Task<DisbursementRow?> Lock(NpgsqlTransaction tx, Guid disbursementId, CancellationToken ct) =>
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

    public async Task<Guid?> CaseOf(Guid disbursementId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT case_id FROM grants.disbursements WHERE id = @disbursementId", new { disbursementId }, cancellationToken: ct));
    }

    /// <summary>
    /// Planned → paid. Returns the ledger posting that completes it (reserved → paid), for the caller to send last
    /// (<see cref="FundLedger.Commit"/>, so the fund's account rows are locked only for the commit) or now
    /// (<see cref="PostNow"/>); null when it was not planned (any more).
    /// </summary>
    public async Task<Posting?> Pay(NpgsqlTransaction tx, DisbursementRow d, DateOnly paidOn, string reference, string by, CancellationToken ct)
    {
        var now = clock.Now();
        if (!await Move(tx, d, DisbursementStatuses.Paid, paidOn, reference, null, by, now, ct))
        {
            return null;
        }
        await outbox.Enqueue(new DisbursementPaid(d.CaseId, d.GrantId, d.Id, d.FundId, d.Amount, paidOn, reference, now), tx, ct);
        return ledger.Prepare(LedgerKinds.Pay, $"paid {reference}", by,
            [new Leg(d.FundId, AccountKinds.Reserved, -d.Amount), new Leg(d.FundId, AccountKinds.Paid, d.Amount)], d.GrantId, d.Id);
    }

    /// <summary>
    /// Planned → stopped or cancelled: the household's cap is given back, and the returned posting gives the
    /// reservation back to available (send it as for <see cref="Pay"/>). Null when it was not planned (any more).
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
    public static InvalidOperationException Broken(DisbursementRow d, LedgerRefusal refusal) =>
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
            WHERE id = @id AND status = 'planned'
            """,
            new { id = d.Id, to, paidOn = paidOn?.ToDateTime(TimeOnly.MinValue), reference, reason, by, now }, tx, cancellationToken: ct));
        return moved == 1;
    }
}
