using System.Globalization;
using System.Diagnostics;
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

    /// <summary>Legs are sent in this order after fund id: a fund's legs together, so grants.post updates its balances once.</summary>
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

/// <summary>Why the database refused a posting; the transaction has failed and nothing of it is written.</summary>
public abstract record LedgerRefusal
{
    public abstract string Describe();

    /// <summary>
    /// The answer to the request whose <paramref name="field"/> asked for the money: too little money is a rule of the
    /// fund's current state (409); a fund past its limit is a value that cannot be accepted (422 naming the field).
    /// </summary>
    public Refusal ToRefusal(string field) => this is OverLimit
        ? Refusal.Unprocessable("The fund's limit would be passed.", field, Describe())
        : Refusal.Conflict("Not enough money in the fund.", Describe());
}

/// <summary>A posting that could not be made: an account would have gone below zero.</summary>
public sealed record Shortfall(Guid FundId, string Account, decimal Balance, decimal Wanted) : LedgerRefusal
{
    public override string Describe() => Account == AccountKinds.Available
        ? string.Create(CultureInfo.InvariantCulture, $"The fund has only {Balance:F2} NOK available; {Wanted:F2} NOK was asked for.")
        : string.Create(CultureInfo.InvariantCulture, $"The fund's {Account} account has only {Balance:F2} NOK; {Wanted:F2} NOK was asked for.");
}

/// <summary>A posting that could not be made: a fund would have gone past <see cref="Money.MaxBalance"/>.</summary>
public sealed record OverLimit : LedgerRefusal
{
    public override string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"A fund holds at most {Money.MaxBalance:F2} NOK (available, reserved and paid together) and takes at most that from the budget over its life.");
}

/// <summary>
/// A ledger transaction ready to be sent: one call of the database function <c>grants.post</c>. Made by
/// <see cref="FundLedger.Prepare"/>, sent by <see cref="FundLedger.Post(NpgsqlTransaction, Posting, CancellationToken)"/>
/// (now, inside the transaction) or by <see cref="FundLedger.Commit"/> (last, together with COMMIT).
/// </summary>
public sealed class Posting
{
    internal Posting(IReadOnlyList<Leg> legs, string sql, object?[] values)
    {
        Legs = legs;
        Sql = sql;
        Values = values;
    }

    /// <summary>The legs in the order grants.post takes them: by fund (the order funds are locked in), then by account.</summary>
    public IReadOnlyList<Leg> Legs { get; }

    internal string Sql { get; }

    internal object?[] Values { get; }

    internal NpgsqlBatchCommand Command()
    {
        var command = new NpgsqlBatchCommand(Sql);
        foreach (var value in Values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
        return command;
    }
}

/// <summary>
/// The append-only double-entry ledger of the funds. A posting moves money between accounts in one ledger
/// transaction whose entries sum to zero (checked here and by the database), and keeps the fund's balances in the
/// same database transaction. A debit is a conditional update that takes the money only if it is there —
/// <c>available + change &gt;= 0</c>, with a row-count check — and a <c>CHECK (available &gt;= 0 …)</c> backs it, so
/// a fund can never be overspent, however many requests race.
/// </summary>
/// <remarks>
/// A fund's balances row is the hottest row of the service: every approval of every caseworker meets there, and its
/// row lock is held from the posting's balance update until the transaction ends. So a posting is one call of the
/// database function <c>grants.post</c> (migration 0012: the transaction row with its legs first, then one conditional
/// update of each fund's balances with its row-count check, then the FundLow check), and the contended paths send it
/// with <see cref="Commit"/>: the rest of the change first, then <c>[ ..., SELECT grants.post(...), COMMIT ]</c> as ONE
/// batch, so the lock is held for the database's own work and never across a round trip to the service (see the
/// disbursements benchmark).
/// </remarks>
public sealed class FundLedger(TimeProvider clock)
{
    private const string PostSql = """
        SELECT grants.post($1::uuid, $2::text, $3::uuid, $4::uuid, $5::text, $6::text, $7::timestamptz,
                           $8::uuid[], $9::text[], $10::numeric[], $11::uuid[], $12::uuid[], $13::text, $14::text)
        """;

    private const string AnnounceLowSql = "SELECT grants.announce_low($1::uuid, $2::timestamptz, $3::uuid, $4::text, $5::text)";

    /// <summary>The name <c>grants.post</c> raises a shortfall under (it is also the CHECK constraint that backs it).</summary>
    private const string NeverNegative = "fund_accounts_never_negative";

    /// <summary>The CHECKs on a fund's balances: each within its limit, and what the fund holds (migration 0011).</summary>
    private static readonly string[] WithinLimit = ["fund_accounts_within_limit", "fund_holdings_within_limit"];

    /// <summary>FundLow's name in the outbox (<see cref="MessageTypes"/>).</summary>
    public static readonly string FundLowType = MessageTypes.NameOf(typeof(FundLow));

    /// <summary>Builds one ledger transaction (nothing is sent yet). The legs must be two or more, non-zero, summing to zero.</summary>
    public Posting Prepare(string kind, string description, string recordedBy, IReadOnlyList<Leg> legs, Guid? grantId, Guid? disbursementId)
    {
        if (legs.Count < 2 || legs.Sum(l => l.Amount) != 0 || legs.Any(l => l.Amount == 0))
        {
            throw new InvalidOperationException("A ledger transaction needs two or more non-zero entries that sum to zero.");
        }
        var now = clock.Now();
        // Funds are locked in one order, so concurrent postings never deadlock; a fund's legs are adjacent (grants.post updates its balances once).
        var ordered = legs.OrderBy(l => l.FundId).ThenBy(l => AccountKinds.Order(l.Account)).ToList();
        var lowFunds = legs.Where(l => l.Account == AccountKinds.Available).Select(l => l.FundId).Distinct().Order().ToArray();
        return new Posting(ordered, PostSql,
        [
            Guid.CreateVersion7(now), kind, grantId, disbursementId, description, recordedBy, now,
            ordered.Select(l => l.FundId).ToArray(), ordered.Select(l => l.Account).ToArray(), ordered.Select(l => l.Amount).ToArray(),
            lowFunds, lowFunds.Select(_ => Guid.CreateVersion7(now)).ToArray(), FundLowType, Activity.Current?.Id,
        ]);
    }

    /// <summary>
    /// Posts one ledger transaction in <paramref name="tx"/> now. Returns null when done, or why it was refused (an
    /// account had too little, or a fund would pass its limit); the transaction has then failed and the caller must
    /// roll back (nothing is half-written because everything happens in the caller's transaction).
    /// </summary>
    public Task<LedgerRefusal?> Post(
        NpgsqlTransaction tx, string kind, string description, string recordedBy, IReadOnlyList<Leg> legs,
        Guid? grantId, Guid? disbursementId, CancellationToken ct) =>
        Post(tx, Prepare(kind, description, recordedBy, legs, grantId, disbursementId), ct);

    /// <inheritdoc cref="Post(NpgsqlTransaction, string, string, string, IReadOnlyList{Leg}, Guid?, Guid?, CancellationToken)"/>
    public static async Task<LedgerRefusal?> Post(NpgsqlTransaction tx, Posting posting, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(tx.Connection, tx) { BatchCommands = { posting.Command() } };
        try
        {
            await batch.ExecuteNonQueryAsync(ct);
            return null;
        }
        catch (PostgresException e) when (RefusalOf(posting, e) is { } refusal)
        {
            return refusal;
        }
    }

    /// <summary>
    /// Sends <paramref name="first"/> (statements that belong to the same change, e.g. storing the idempotent answer),
    /// then the posting, then COMMIT — one batch, one round trip. Returns null when committed; why it was refused
    /// (as for <see cref="Post(NpgsqlTransaction, Posting, CancellationToken)"/>) after rolling the whole transaction back.
    /// Nothing may use <paramref name="tx"/> afterwards.
    /// </summary>
    public static async Task<LedgerRefusal?> Commit(NpgsqlTransaction tx, Posting posting, IEnumerable<NpgsqlBatchCommand> first, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(tx.Connection, tx);
        foreach (var command in first)
        {
            batch.BatchCommands.Add(command);
        }
        batch.BatchCommands.Add(posting.Command());
        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        try
        {
            await batch.ExecuteNonQueryAsync(ct);
            return null;
        }
        catch (PostgresException e) when (RefusalOf(posting, e) is { } refusal)
        {
            await tx.RollbackAsync(ct);
            return refusal;
        }
    }

    /// <summary>Announces FundLow when a fund starts below its threshold (a new fund with little or no budget).</summary>
    public async Task AnnounceLowBalance(NpgsqlTransaction tx, Guid fundId, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(AnnounceLowSql, tx.Connection, tx)
        {
            Parameters =
            {
                new() { Value = fundId },
                new() { Value = now },
                new() { Value = Guid.CreateVersion7(clock.Now()) },
                new() { Value = FundLowType },
                new() { Value = (object?)Activity.Current?.Id ?? DBNull.Value },
            },
        };
        await command.ExecuteNonQueryAsync(ct);
    }

    // Known by the constraint's name: a limit (one of the balances' CHECKs), or a shortfall, for
    // which grants.post says which leg fell short and the balance it found in HINT ("<leg> <balance>").
    private static LedgerRefusal? RefusalOf(Posting posting, PostgresException e)
    {
        if (e.SqlState != PostgresErrorCodes.CheckViolation)
        {
            return null;
        }
        if (WithinLimit.Contains(e.ConstraintName))
        {
            return new OverLimit();
        }
        if (e.ConstraintName != NeverNegative || e.Hint?.Split(' ') is not [var index, var balance])
        {
            return null;
        }
        var leg = posting.Legs[int.Parse(index, CultureInfo.InvariantCulture) - 1];
        return new Shortfall(leg.FundId, leg.Account, decimal.Parse(balance, CultureInfo.InvariantCulture), -leg.Amount);
    }
}
