using Dapper;
using Npgsql;
using Samskaping.Grants.Idempotency;
using Samskaping.Grants.Ledger;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Funds;

/// <summary>A fund as the API shows it; <see cref="Balances"/> only for its managers (<see cref="GrantPolicies.ManagesFund"/>).</summary>
public sealed record FundView(
    Guid Id,
    string Name,
    string Owner,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    decimal ApprovalThreshold,
    decimal HouseholdCap,
    decimal LowBalanceThreshold,
    bool ReportToBenefitSystem,
    FundBalancesView? Balances);

public sealed record FundBalancesView(decimal Budget, decimal Available, decimal Reserved, decimal Paid, decimal Remaining);

public sealed record LedgerEntryView(string Account, decimal Amount);

public sealed record LedgerTransactionView(
    Guid Id, string Kind, string Description, Guid? GrantId, Guid? DisbursementId, string RecordedBy, DateTimeOffset RecordedAt,
    IReadOnlyList<LedgerEntryView> Entries);

public sealed record ReallocationView(FundView From, FundView To);

/// <summary>
/// Funds and the money moved in and out of them. Each change is one idempotent transaction
/// (<see cref="IdempotentRequests"/>): the key's row, the fund's rows and the ledger posting commit together.
/// </summary>
public sealed class FundStore(FundLedger ledger, IdempotentRequests idempotency, TimeProvider clock)
{
    internal const string FundColumns = """
        f.id AS Id, f.name AS Name, f.owner AS Owner, f.period_start AS PeriodStart, f.period_end AS PeriodEnd,
        f.approval_threshold AS ApprovalThreshold, f.household_cap AS HouseholdCap,
        f.low_balance_threshold AS LowBalanceThreshold, f.report_to_benefit_system AS ReportToBenefitSystem
        """;

    public static Refusal NotFound(Guid fundId) => Refusal.NotFound("Fund not found.", $"There is no fund {fundId}.");

    /// <summary>Creates the fund with its first budget, once per <paramref name="key"/> of <paramref name="user"/>.</summary>
    public Task<Result<FundView>> Create(Fund fund, decimal budget, string key, CreateFund body, CurrentUser user, CancellationToken ct) =>
        idempotency.Run<FundView>(key, user, "POST /api/grants/funds", body, async (tx, ct) =>
        {
            if (!await Insert(fund, budget, user, tx, ct))
            {
                return Refusal.Conflict("A fund with this name exists.", $"Choose another name than '{fund.Name}'.");
            }
            return Answer.Done((await WithBalances(tx.Connection!, tx, fund.Id, ct))!, $"/api/grants/funds/{fund.Id}");
        }, ct);

    /// <summary>Puts <paramref name="amount"/> more from the budget source into the fund's available account.</summary>
    public Task<Result<FundView>> TopUp(Guid fundId, decimal amount, string note, string key, TopUpFund body, CurrentUser user, CancellationToken ct) =>
        idempotency.Run<FundView>(key, user, $"POST /api/grants/funds/{fundId}/top-ups", body, async (tx, ct) =>
        {
            if (await ledger.Post(tx, LedgerKinds.TopUp, note, user.Subject,
                [new Leg(fundId, AccountKinds.BudgetSource, -amount), new Leg(fundId, AccountKinds.Available, amount)], null, null, ct) is { } refusal)
            {
                return refusal.ToRefusal("amount");
            }
            return Answer.Done((await WithBalances(tx.Connection!, tx, fundId, ct))!);
        }, ct);

    /// <summary>
    /// Moves available money from one fund to another; the receiving fund's balances are shown only to its managers.
    /// </summary>
    public Task<Result<ReallocationView>> Reallocate(
        Guid fundId, Guid toFundId, decimal amount, string reason, string key, ReallocateFunds body, CurrentUser user, CancellationToken ct) =>
        idempotency.Run<ReallocationView>(key, user, $"POST /api/grants/funds/{fundId}/reallocations", body, async (tx, ct) =>
        {
            if (await Find(tx.Connection!, tx, toFundId, ct) is null)
            {
                return Refusal.Unprocessable("Unknown fund.", "toFundId", $"There is no fund {toFundId}.");
            }
            if (await ledger.Post(tx, LedgerKinds.Reallocation, reason, user.Subject,
                [new Leg(fundId, AccountKinds.Available, -amount), new Leg(toFundId, AccountKinds.Available, amount)], null, null, ct) is { } refusal)
            {
                return refusal.ToRefusal("amount");
            }
            var from = await WithBalances(tx.Connection!, tx, fundId, ct);
            var to = (await Views(tx.Connection!, tx, toFundId, owner => GrantPolicies.ManagesFund(user, owner), ct)).SingleOrDefault();
            return Answer.Done(new ReallocationView(from!, to!));
        }, ct);

    /// <summary>
    /// Creates the fund, its four accounts, its balances row and (when the budget is above zero) the first top-up, in the caller's
    /// transaction. False when the name is taken.
    /// </summary>
    public async Task<bool> Insert(Fund fund, decimal budget, CurrentUser user, NpgsqlTransaction tx, CancellationToken ct)
    {
        var connection = tx.Connection!;
        var now = clock.Now();
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO grants.funds (id, name, owner, period_start, period_end, approval_threshold, household_cap,
                                      low_balance_threshold, report_to_benefit_system, created_by, created_at)
            VALUES (@Id, @Name, @Owner, @PeriodStart, @PeriodEnd, @ApprovalThreshold, @HouseholdCap,
                    @LowBalanceThreshold, @ReportToBenefitSystem, @createdBy, @now)
            ON CONFLICT (name) DO NOTHING
            """,
            new
            {
                fund.Id, fund.Name, fund.Owner, fund.PeriodStart, fund.PeriodEnd, fund.ApprovalThreshold, fund.HouseholdCap,
                fund.LowBalanceThreshold, fund.ReportToBenefitSystem, createdBy = user.Subject, now,
            }, tx, cancellationToken: ct));
        if (inserted == 0)
        {
            return false;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO grants.accounts (id, fund_id, kind) SELECT id, @fundId, kind FROM unnest(@ids, @kinds) AS a(id, kind);
            INSERT INTO grants.fund_balances (fund_id) VALUES (@fundId);
            """,
            new
            {
                fundId = fund.Id,
                ids = AccountKinds.All.Select(_ => Guid.CreateVersion7(now)).ToArray(),
                kinds = AccountKinds.All.ToArray(),
            }, tx, cancellationToken: ct));
        if (budget > 0)
        {
            await ledger.Post(tx, LedgerKinds.TopUp, "initial budget", user.Subject,
                [new Leg(fund.Id, AccountKinds.BudgetSource, -budget), new Leg(fund.Id, AccountKinds.Available, budget)], null, null, ct);
        }
        else
        {
            await ledger.AnnounceLowBalance(tx, fund.Id, now, ct);
        }
        return true;
    }

    public static async Task<Fund?> Find(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid fundId, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<FundRow>(new CommandDefinition(
            $"SELECT {FundColumns} FROM grants.funds f WHERE f.id = @fundId", new { fundId }, tx, cancellationToken: ct));
        return row?.ToFund();
    }

    /// <summary>The fund with its balances, for its managers and for decisions (in <paramref name="tx"/> when given).</summary>
    public static async Task<FundView?> WithBalances(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid fundId, CancellationToken ct) =>
        (await Views(connection, tx, fundId, _ => true, ct)).SingleOrDefault();

    /// <summary>The fund as <paramref name="viewer"/> may see it: with its balances only if they manage it.</summary>
    public static async Task<FundView?> View(NpgsqlConnection connection, Guid fundId, CurrentUser viewer, CancellationToken ct) =>
        (await Views(connection, null, fundId, owner => GrantPolicies.ManagesFund(viewer, owner), ct)).SingleOrDefault();

    /// <summary>Every fund, each with its balances only if <paramref name="viewer"/> manages it.</summary>
    public static Task<IReadOnlyList<FundView>> List(NpgsqlConnection connection, CurrentUser viewer, CancellationToken ct) =>
        Views(connection, null, null, owner => GrantPolicies.ManagesFund(viewer, owner), ct);

    /// <param name="withBalances">Per fund, by its owner: whether the view shows its balances.</param>
    private static async Task<IReadOnlyList<FundView>> Views(
        NpgsqlConnection connection, NpgsqlTransaction? tx, Guid? fundId, Func<string, bool> withBalances, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<FundBalanceRow>(new CommandDefinition(
            $"""
            SELECT {FundColumns}, b.available AS Available, b.reserved AS Reserved, b.paid AS Paid
            FROM grants.funds f JOIN grants.fund_balances b ON b.fund_id = f.id
            WHERE @fundId::uuid IS NULL OR f.id = @fundId ORDER BY f.period_start DESC, f.name
            """,
            new { fundId }, tx, cancellationToken: ct));
        return rows.Select(r => r.ToView(withBalances(r.Owner))).ToList();
    }

    public static async Task<IReadOnlyList<LedgerTransactionView>> LedgerOf(NpgsqlConnection connection, Guid fundId, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<LedgerRow>(new CommandDefinition(
            """
            SELECT t.id AS Id, t.kind AS Kind, t.description AS Description, t.grant_id AS GrantId, t.disbursement_id AS DisbursementId,
                   t.recorded_by AS RecordedBy, t.recorded_at AS RecordedAt,
                   CASE WHEN a.fund_id = @fundId THEN a.kind ELSE a.kind || ' of fund ' || a.fund_id END AS Account, e.amount AS Amount
            FROM grants.ledger_transactions t
            CROSS JOIN LATERAL unnest(t.accounts, t.amounts) AS e(account_id, amount)
            JOIN grants.accounts a ON a.id = e.account_id
            WHERE t.accounts && ARRAY(SELECT id FROM grants.accounts WHERE fund_id = @fundId)
            ORDER BY t.recorded_at, t.id, a.kind
            """, new { fundId }, cancellationToken: ct));
        return rows.GroupBy(r => r.Id)
            .Select(g => g.First() is var t
                ? new LedgerTransactionView(t.Id, t.Kind, t.Description, t.GrantId, t.DisbursementId, t.RecordedBy, t.RecordedAt.AsUtc(),
                    g.Select(r => new LedgerEntryView(r.Account, r.Amount)).ToList())
                : null!)
            .ToList();
    }

    internal sealed record FundRow(
        Guid Id, string Name, string Owner, DateOnly PeriodStart, DateOnly PeriodEnd, decimal ApprovalThreshold,
        decimal HouseholdCap, decimal LowBalanceThreshold, bool ReportToBenefitSystem)
    {
        public Fund ToFund() => new(Id, Name, Owner, PeriodStart, PeriodEnd,
            ApprovalThreshold, HouseholdCap, LowBalanceThreshold, ReportToBenefitSystem);
    }

    private sealed record FundBalanceRow(
        Guid Id, string Name, string Owner, DateOnly PeriodStart, DateOnly PeriodEnd, decimal ApprovalThreshold,
        decimal HouseholdCap, decimal LowBalanceThreshold, bool ReportToBenefitSystem, decimal Available, decimal Reserved, decimal Paid)
    {
        public FundView ToView(bool withBalances) => new(
            Id, Name, Owner, PeriodStart, PeriodEnd, ApprovalThreshold, HouseholdCap, LowBalanceThreshold, ReportToBenefitSystem,
            withBalances ? new FundBalancesView(Available + Reserved + Paid, Available, Reserved, Paid, Available) : null);
    }

    private sealed record LedgerRow(
        Guid Id, string Kind, string Description, Guid? GrantId, Guid? DisbursementId, string RecordedBy, DateTime RecordedAt,
        string Account, decimal Amount);
}
