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
/// only if it is there — <c>balance &gt;= amount</c>, with a row-count check — and a <c>CHECK (balance &gt;= 0)</c>
/// backs it, so a fund can never be overspent, however many requests race.
/// </summary>
/// <remarks>
/// A fund's available account is the hottest row of the service: every approval of every caseworker meets there.
/// So a posting is one round trip (an <see cref="NpgsqlBatch"/>) that takes the account rows' locks in a
/// fixed order, and callers post as the last step before committing: the lock is held for as
/// little as the commit needs (see the disbursements benchmark).
/// </remarks>
public sealed class FundLedger(Outbox outbox, TimeProvider clock)
{
    private const string Debit = """
        UPDATE grants.accounts SET balance = balance - $1
        WHERE fund_id = $2 AND kind = $3 AND (kind = 'budget-source' OR balance >= $1)
        """;

    private const string Credit = "UPDATE grants.accounts SET balance = balance + $1 WHERE fund_id = $2 AND kind = $3";

    // FundLow once per crossing: mark the fund low (and say so) when available is under the threshold and it was not
    // marked yet; clear the mark when available is back at or above the threshold.
    private const string MarkLow = """
        UPDATE grants.funds f SET low_since = $2
        FROM grants.accounts a
        WHERE f.id = $1 AND a.fund_id = f.id AND a.kind = 'available' AND f.low_since IS NULL AND a.balance < f.low_balance_threshold
        RETURNING f.name, a.balance, f.low_balance_threshold
        """;

    private const string ClearLow = """
        UPDATE grants.funds f SET low_since = NULL
        FROM grants.accounts a
        WHERE f.id = $1 AND a.fund_id = f.id AND a.kind = 'available' AND f.low_since IS NOT NULL AND a.balance >= f.low_balance_threshold
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
        // Accounts are locked in one order (fund, then kind), so concurrent postings never deadlock on them.
        var ordered = legs.OrderBy(l => l.FundId).ThenBy(l => AccountKinds.Order(l.Account)).ToList();
        var lowFunds = legs.Where(l => l.Account == AccountKinds.Available).Select(l => l.FundId).Distinct().Order().ToList();

        await using var batch = new NpgsqlBatch(connection, tx);
        batch.BatchCommands.Add(Command(
            """
            INSERT INTO grants.ledger_transactions (id, kind, grant_id, disbursement_id, description, recorded_by, recorded_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, transactionId, kind, (object?)grantId ?? DBNull.Value, (object?)disbursementId ?? DBNull.Value, description, recordedBy, now));
        foreach (var leg in ordered)
        {
            batch.BatchCommands.Add(Command(leg.Amount < 0 ? Debit : Credit, Math.Abs(leg.Amount), leg.FundId, leg.Account));
        }
        // The entries after the balance updates: their foreign-key check then finds account rows this transaction has
        // locked already, instead of piling shared locks (multixacts) onto a row everyone else is waiting for.
        batch.BatchCommands.Add(Command(
            """
            INSERT INTO grants.ledger_entries (transaction_id, account_id, amount)
            SELECT $1, a.id, l.amount
            FROM unnest($2::uuid[], $3::text[], $4::numeric[]) AS l(fund_id, kind, amount)
            JOIN grants.accounts a ON a.fund_id = l.fund_id AND a.kind = l.kind
            """,
            transactionId, ordered.Select(l => l.FundId).ToArray(), ordered.Select(l => l.Account).ToArray(), ordered.Select(l => l.Amount).ToArray()));
        foreach (var fundId in lowFunds)
        {
            batch.BatchCommands.Add(Command(MarkLow, fundId, now));
            batch.BatchCommands.Add(Command(ClearLow, fundId));
        }

        var lows = new List<FundLow>();
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            do
            {
                while (await reader.ReadAsync(ct))
                {
                    lows.Add(new FundLow(Guid.Empty, reader.GetString(0), reader.GetDecimal(1), reader.GetDecimal(2), now));
                }
            }
            while (await reader.NextResultAsync(ct));
        }

        for (var i = 0; i < ordered.Count; i++)
        {
            if (batch.BatchCommands[1 + i].RecordsAffected == 0)
            {
                var leg = ordered[i];
                var balance = await connection.QuerySingleOrDefaultAsync<decimal?>(new CommandDefinition(
                    "SELECT balance FROM grants.accounts WHERE fund_id = @fundId AND kind = @kind",
                    new { fundId = leg.FundId, kind = leg.Account }, tx, cancellationToken: ct))
                    ?? throw new InvalidOperationException($"Fund {leg.FundId} has no {leg.Account} account.");
                return new Shortfall(leg.FundId, leg.Account, balance, -leg.Amount);
            }
        }

        // The low marks come back in fund order, one result per fund that just crossed.
        var lowIndex = 0;
        for (var i = 0; i < lowFunds.Count; i++)
        {
            if (batch.BatchCommands[2 + ordered.Count + 2 * i].RecordsAffected == 1)
            {
                await outbox.Enqueue(lows[lowIndex++] with { FundId = lowFunds[i] }, tx, ct);
            }
        }
        return null;
    }

    /// <summary>Announces FundLow when a fund starts below its threshold (a new fund with little or no budget).</summary>
    public async Task AnnounceLowBalance(NpgsqlTransaction tx, Guid fundId, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(MarkLow, tx.Connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = fundId });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return;
        }
        var low = new FundLow(fundId, reader.GetString(0), reader.GetDecimal(1), reader.GetDecimal(2), now);
        await reader.DisposeAsync();
        await outbox.Enqueue(low, tx, ct);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return command;
    }
}
