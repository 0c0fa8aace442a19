using Dapper;
using Npgsql;
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

public sealed class FundStore(NpgsqlDataSource dataSource, FundLedger ledger, TimeProvider clock)
{
    internal const string FundColumns = """
        f.id AS Id, f.name AS Name, f.owner AS Owner, f.period_start AS PeriodStart, f.period_end AS PeriodEnd,
        f.approval_threshold AS ApprovalThreshold, f.household_cap AS HouseholdCap,
        f.low_balance_threshold AS LowBalanceThreshold, f.report_to_benefit_system AS ReportToBenefitSystem
        """;

    private const string BalanceColumns = """
        (SELECT balance FROM grants.accounts WHERE fund_id = f.id AND kind = 'available') AS Available,
        (SELECT balance FROM grants.accounts WHERE fund_id = f.id AND kind = 'reserved') AS Reserved,
        (SELECT balance FROM grants.accounts WHERE fund_id = f.id AND kind = 'paid') AS Paid
        """;

    /// <summary>Creates the fund, its four accounts and (when the budget is above zero) the first top-up. False when the name is taken.</summary>
    public async Task<bool> Create(Fund fund, decimal budget, CurrentUser user, NpgsqlTransaction tx, CancellationToken ct)
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
            "INSERT INTO grants.accounts (id, fund_id, kind) SELECT id, @fundId, kind FROM unnest(@ids, @kinds) AS a(id, kind)",
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

    public async Task<Fund?> Find(Guid fundId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await Find(connection, null, fundId, ct);
    }

    public static async Task<Fund?> Find(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid fundId, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<FundRow>(new CommandDefinition(
            $"SELECT {FundColumns} FROM grants.funds f WHERE f.id = @fundId", new { fundId }, tx, cancellationToken: ct));
        return row?.ToFund();
    }

    public async Task<FundView?> View(Guid fundId, bool withBalances, NpgsqlTransaction? tx, CancellationToken ct) =>
        (await Views(fundId, _ => withBalances, tx, ct)).SingleOrDefault();

    /// <summary>The fund as <paramref name="viewer"/> may see it: with its balances only if they manage it.</summary>
    public async Task<FundView?> View(Guid fundId, CurrentUser viewer, NpgsqlTransaction? tx, CancellationToken ct) =>
        (await Views(fundId, owner => GrantPolicies.ManagesFund(viewer, owner), tx, ct)).SingleOrDefault();

    /// <summary>Every fund, each with its balances only if <paramref name="viewer"/> manages it.</summary>
    public Task<IReadOnlyList<FundView>> List(CurrentUser viewer, CancellationToken ct) =>
        Views(null, owner => GrantPolicies.ManagesFund(viewer, owner), null, ct);

    /// <param name="withBalances">Per fund, by its owner: whether the view shows its balances.</param>
    private async Task<IReadOnlyList<FundView>> Views(Guid? fundId, Func<string, bool> withBalances, NpgsqlTransaction? tx, CancellationToken ct)
    {
        NpgsqlConnection? owned = null;
        var connection = tx?.Connection ?? (owned = await dataSource.OpenConnectionAsync(ct));
        try
        {
            var rows = await connection.QueryAsync<FundBalanceRow>(new CommandDefinition(
                $"SELECT {FundColumns}, {BalanceColumns} FROM grants.funds f WHERE @fundId::uuid IS NULL OR f.id = @fundId ORDER BY f.period_start DESC, f.name",
                new { fundId }, tx, cancellationToken: ct));
            return rows.Select(r => r.ToView(withBalances(r.Owner))).ToList();
        }
        finally
        {
            if (owned is not null)
            {
                await owned.DisposeAsync();
            }
        }
    }

    public async Task<IReadOnlyList<LedgerTransactionView>> LedgerOf(Guid fundId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<LedgerRow>(new CommandDefinition(
            """
            SELECT t.id AS Id, t.kind AS Kind, t.description AS Description, t.grant_id AS GrantId, t.disbursement_id AS DisbursementId,
                   t.recorded_by AS RecordedBy, t.recorded_at AS RecordedAt,
                   CASE WHEN a.fund_id = @fundId THEN a.kind ELSE a.kind || ' of fund ' || a.fund_id END AS Account, e.amount AS Amount
            FROM grants.ledger_transactions t
            JOIN grants.ledger_entries e ON e.transaction_id = t.id
            JOIN grants.accounts a ON a.id = e.account_id
            WHERE t.id IN (SELECT e2.transaction_id FROM grants.ledger_entries e2 JOIN grants.accounts a2 ON a2.id = e2.account_id WHERE a2.fund_id = @fundId)
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
