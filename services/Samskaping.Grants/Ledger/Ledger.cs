using System.Globalization;
using Dapper;
using Npgsql;
using Samskaping.Contracts.Grants;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Ledger;

/// <summary>The four accounts every fund has in the ledger.</summary>
public static class AccountKinds
{
    /// <summary>Where the money comes from (the municipality's budget): its balance is minus what was put in.</summary>
    public const string BudgetSource = "budget-source";
    public const string Available = "available";
    public const string Reserved = "reserved";
    public const string Paid = "paid";

    public static IReadOnlyList<string> All { get; } = [BudgetSource, Available, Reserved, Paid];

    /// <summary>Accounts are updated in this order (after fund id), so concurrent postings never deadlock.</summary>
    internal static int Order(string kind) => kind switch
    {
        BudgetSource => 0,
        Available => 1,
        Reserved => 2,
        _ => 3,
    };
}

public static class LedgerKinds
{
    public const string TopUp = "top-up";
    public const string Reallocation = "reallocation";
    public const string Reserve = "reserve";
    public const string Pay = "pay";
    public const string Release = "release";
}

/// <summary>One side of a ledger transaction: a signed amount on one of a fund's accounts.</summary>
public sealed record Leg(Guid FundId, string Account, decimal Amount);

/// <summary>A posting that could not be made: an account would have gone below zero.</summary>
public sealed record Shortfall(Guid FundId, string Account, decimal Balance, decimal Wanted)
{
    public string Describe() => Account == AccountKinds.Available
        ? string.Create(CultureInfo.InvariantCulture, $"The fund has only {Balance:F2} NOK available; {Wanted:F2} NOK was asked for.")
        : string.Create(CultureInfo.InvariantCulture, $"The fund's {Account} account has only {Balance:F2} NOK; {Wanted:F2} NOK was asked for.");
}

/// <summary>
/// The append-only double-entry ledger of the funds. A posting moves money between accounts in one ledger
/// transaction whose entries sum to zero (checked here and, at commit, by the database), and keeps each
/// account's balance in the same database transaction. A debit is a conditional update that takes the money
/// only if it is there — <c>balance &gt;= amount</c> — and a <c>CHECK (balance &gt;= 0)</c> backs it, so a fund
/// can never be overspent, however many requests race.
/// </summary>
public sealed class FundLedger(Outbox outbox, TimeProvider clock)
{
    private const string Debit = """
        UPDATE grants.accounts SET balance = balance - @amount
        WHERE fund_id = @fundId AND kind = @kind AND (kind = 'budget-source' OR balance >= @amount)
        RETURNING id
        """;

    private const string Credit = """
        UPDATE grants.accounts SET balance = balance + @amount
        WHERE fund_id = @fundId AND kind = @kind
        RETURNING id
        """;

    /// <summary>
    /// Posts one ledger transaction in <paramref name="tx"/>. Returns null when done, or the shortfall when an
    /// account had too little; the caller must then roll back (nothing is half-written because everything
    /// happens in the caller's transaction).
    /// </summary>
    public async Task<Shortfall?> Post(
        NpgsqlTransaction tx, string kind, string description, string recordedBy, IReadOnlyList<Leg> legs,
        Guid? grantId, Guid? disbursementId, CancellationToken ct)
    {
        if (legs.Count < 2 || legs.Sum(l => l.Amount) != 0 || legs.Any(l => l.Amount == 0))
        {
            throw new InvalidOperationException("A ledger transaction needs two or more non-zero entries that sum to zero.");
        }

        var connection = tx.Connection!;
        var now = clock.Now();
        var transactionId = Guid.CreateVersion7(now);
        var entries = new List<(Guid Account, decimal Amount)>(legs.Count);
        foreach (var leg in legs.OrderBy(l => l.FundId).ThenBy(l => AccountKinds.Order(l.Account)))
        {
            var debit = leg.Amount < 0;
            var accountId = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
                debit ? Debit : Credit, new { amount = Math.Abs(leg.Amount), fundId = leg.FundId, kind = leg.Account }, tx, cancellationToken: ct));
            if (accountId is null)
            {
                var balance = await connection.QuerySingleOrDefaultAsync<decimal?>(new CommandDefinition(
                    "SELECT balance FROM grants.accounts WHERE fund_id = @fundId AND kind = @kind",
                    new { fundId = leg.FundId, kind = leg.Account }, tx, cancellationToken: ct))
                    ?? throw new InvalidOperationException($"Fund {leg.FundId} has no {leg.Account} account.");
                return new Shortfall(leg.FundId, leg.Account, balance, -leg.Amount);
            }
            entries.Add((accountId.Value, leg.Amount));
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO grants.ledger_transactions (id, kind, grant_id, disbursement_id, description, recorded_by, recorded_at)
            VALUES (@transactionId, @kind, @grantId, @disbursementId, @description, @recordedBy, @now);
            INSERT INTO grants.ledger_entries (transaction_id, account_id, amount)
            SELECT @transactionId, account, amount FROM unnest(@accounts, @amounts) AS e(account, amount);
            """,
            new
            {
                transactionId, kind, grantId, disbursementId, description, recordedBy, now,
                accounts = entries.Select(e => e.Account).ToArray(),
                amounts = entries.Select(e => e.Amount).ToArray(),
            }, tx, cancellationToken: ct));

        foreach (var fundId in legs.Where(l => l.Account == AccountKinds.Available).Select(l => l.FundId).Distinct().Order())
        {
            await AnnounceLowBalance(tx, fundId, now, ct);
        }
        return null;
    }

    /// <summary>
    /// FundLow once per crossing: when the available amount is under the fund's threshold and no FundLow has been
    /// announced since it last was above it. Called after every change of a fund's available amount.
    /// </summary>
    public async Task AnnounceLowBalance(NpgsqlTransaction tx, Guid fundId, DateTimeOffset now, CancellationToken ct)
    {
        var connection = tx.Connection!;
        var low = await connection.QuerySingleOrDefaultAsync<LowRow>(new CommandDefinition(
            """
            UPDATE grants.funds f SET low_since = @now
            FROM grants.accounts a
            WHERE f.id = @fundId AND a.fund_id = f.id AND a.kind = 'available'
              AND f.low_since IS NULL AND a.balance < f.low_balance_threshold
            RETURNING f.name AS Name, a.balance AS Available, f.low_balance_threshold AS Threshold
            """, new { fundId, now }, tx, cancellationToken: ct));
        if (low is not null)
        {
            await outbox.Enqueue(new FundLow(fundId, low.Name, low.Available, low.Threshold, now), tx, ct);
            return;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE grants.funds f SET low_since = NULL
            FROM grants.accounts a
            WHERE f.id = @fundId AND a.fund_id = f.id AND a.kind = 'available'
              AND f.low_since IS NOT NULL AND a.balance >= f.low_balance_threshold
            """, new { fundId }, tx, cancellationToken: ct));
    }

    private sealed record LowRow(string Name, decimal Available, decimal Threshold);
}
