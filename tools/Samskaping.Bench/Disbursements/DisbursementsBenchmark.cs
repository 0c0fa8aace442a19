using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Samskaping.Grants;
using Samskaping.Grants.Funds;
using Samskaping.Grants.Idempotency;
using Samskaping.Grants.Ledger;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Bench.Disbursements;

/// <summary>
/// Contended disbursements per second on ONE fund with 64 clients, side by side in one run. The headline: the ledger
/// path against its own conditional debit alone, <c>UPDATE grants.fund_balances SET available = available - 1 WHERE
/// fund_id = … AND available >= 1</c> on a fund of its own, by pgbench in prepared mode (<c>update.pgbench.sql</c>);
/// beside it the same debit of a one-column table (<c>bare-table.pgbench.sql</c>), which no change to the ledger's
/// tables can move. The ledger path twice:
/// (1) in process: the grants service's own ledger code, <see cref="FundLedger.Prepare"/> + <see cref="FundLedger.Commit"/>,
///     an approval's reservation of 1 NOK (available → reserved) sent as the service sends it: BEGIN, the call of
///     <c>grants.post</c> and COMMIT in one round trip (no HTTP, no idempotency row) — goal ≥ 0.3× the bare UPDATE;
/// (2) through HTTP (<see cref="HttpReallocations"/>): the service's reallocation endpoint with an Idempotency-Key.
/// Second figures: pgbench running the same <c>grants.post</c> call raw (<c>posting.pgbench.sql</c>), which isolates
/// the client's share, and the ledger code with COMMIT a round trip after the posting.
/// </summary>
public sealed class DisbursementsBenchmark : IBenchmark
{
    private const int Clients = 64;

    public string Name => "disbursements";

    public string Description => "contended disbursements/s on one fund, 64 clients: grants' ledger (in process and over HTTP) vs the bare conditional UPDATE (pgbench -M prepared)";

    public async Task<BenchmarkReport> Run(BenchmarkContext context, CancellationToken ct)
    {
        var seconds = context.Option("seconds", context.Quick ? 5 : 20);
        var clients = context.Option("clients", Clients);
        var scripts = Path.Combine(context.RepositoryRoot, "tools", "Samskaping.Bench", "Disbursements");
        var database = $"bench_disbursements_{Guid.NewGuid():N}"[..40];
        var admin = new NpgsqlConnectionStringBuilder(context.PostgresConnectionString) { Database = "postgres", Pooling = false };
        await Execute(admin.ConnectionString, $"CREATE DATABASE \"{database}\"", ct);
        var target = new NpgsqlConnectionStringBuilder(context.PostgresConnectionString)
        {
            Database = database,
            MaxPoolSize = clients + 4,
            ApplicationName = "bench-disbursements",
        };
        try
        {
            using var host = await StartGrantsStore(target.ConnectionString, ct);
            var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
            var ledger = host.Services.GetRequiredService<FundLedger>();
            var fundId = await CreateFund(host.Services, dataSource, "Benchmark fund", ct);
            var baselineFund = await CreateFund(host.Services, dataSource, "Benchmark baseline fund", ct);
            var bareAccount = await CreateBareAccount(dataSource, ct);
            var duration = TimeSpan.FromSeconds(seconds);

            // The baselines first, each on a row of its own that nothing has updated yet: a row that has taken a hundred
            // thousand updates runs slower, and the ledger's rows below pay for that on their own row, not the baseline.
            var bare = await Pgbench.Measure(target, Path.Combine(scripts, "update.pgbench.sql"),
                [$"fund={baselineFund}"], $"pgbench -M prepared bare conditional UPDATE of a fund's balances row, -c {clients}", clients, seconds, ct);
            var bareTable = await Pgbench.Measure(target, Path.Combine(scripts, "bare-table.pgbench.sql"),
                [$"account={bareAccount}"], $"pgbench -M prepared bare conditional UPDATE of a one-column table, -c {clients}", clients, seconds, ct);

            var ours = await MeasureLedger(dataSource, ledger, fundId, clients, duration, commitTogether: true, ct);
            var raw = await Pgbench.Measure(target, Path.Combine(scripts, "posting.pgbench.sql"),
                [$"fund={fundId}", $"fundlow={FundLedger.FundLowType}"], $"pgbench -M prepared grants.post, -c {clients}", clients, seconds, ct);
            var separate = await MeasureLedger(dataSource, ledger, fundId, clients, duration, commitTogether: false, ct);
            var (unbalanced, transactions) = await Check(dataSource, fundId, ct);
            var system = await context.LiveSystem.Get(ct);
            var http = await HttpReallocations.Measure(system, clients, duration, ct);

            var inProcess = ours.PerSecond / bare.PerSecond;
            var overHttp = http.PerSecond / bare.PerSecond;
            return new BenchmarkReport(Name, [bare, bareTable, ours, http, raw, separate],
                new Dictionary<string, double>
                {
                    ["FundLedger in process / bare conditional UPDATE (goal >= 0.3)"] = inProcess,
                    ["grants HTTP reallocation / bare conditional UPDATE"] = overHttp,
                    ["FundLedger in process / bare conditional UPDATE of a one-column table"] = ours.PerSecond / bareTable.PerSecond,
                    ["FundLedger in process / pgbench grants.post"] = ours.PerSecond / raw.PerSecond,
                    ["FundLedger, COMMIT with the posting / COMMIT a round trip later"] = ours.PerSecond / separate.PerSecond,
                },
                [
                    $"{clients} concurrent clients on one fund, {seconds} s per row, one after another, PostgreSQL at {target.Host}:{target.Port}.",
                    "The baseline (headline denominator): update.pgbench.sql under pgbench -M prepared, the ledger's conditional debit alone, UPDATE grants.fund_balances SET available = available - 1 WHERE fund_id = $1 AND available >= 1 on a second fund's row, measured first (a row nothing has updated yet), autocommit: no ledger transaction, no entries, no client logic. Beside it bare-table.pgbench.sql, the same debit of a table of its own (id, balance, CHECK (balance >= 0)).",
                    "FundLedger in process: the grants service's ledger code called in this process: BEGIN + SELECT grants.post(...) (ledger transaction, 2 entries with their key and zero-sum checks, the fund's conditional debit and credit with row-count check, FundLow check) + COMMIT incl. the deferred has-entries check, in one round trip; no HTTP, no idempotency row.",
                    "grants HTTP: POST /api/grants/funds/{fund}/reallocations of 1 NOK to a second fund with a fresh Idempotency-Key each, straight at the grants process (Release, ReadyToRun): Kestrel, JWT, the fund-manager filter, validation, the idempotency row and the ledger transaction; the client shares the 2 cores with the service and PostgreSQL.",
                    "pgbench grants.post: posting.pgbench.sql, the same call the ledger code sends, prepared and autocommit: the ratio to it isolates the client's cost, since the database work is identical.",
                    $"After the in-process rows: {unbalanced} of the benchmark fund's accounts whose balance differs from the sum of their entries (expected 0) over {transactions} ledger transactions.",
                ])
            {
                Goals =
                [
                    new Goal("FundLedger in process / bare conditional UPDATE (pgbench -M prepared)", inProcess, AtLeast: true, 0.3, "×"),
                ],
            };
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await Execute(admin.ConnectionString, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", CancellationToken.None);
        }
    }

    /// <summary>The grants service's database building blocks (DbUp migrations, data source) and its ledger, without the web host or the bus.</summary>
    private static async Task<IHost> StartGrantsStore(string connectionString, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Database"] = connectionString });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddServiceDatabase(typeof(GrantsModule).Assembly);
        builder.Services.AddSingleton<FundLedger>();
        builder.Services.AddScoped<FundStore>();
        builder.Services.AddScoped<IdempotentRequests>();
        var host = builder.Build();
        await host.StartAsync(ct);
        return host;
    }

    private static async Task<Guid> CreateFund(IServiceProvider services, NpgsqlDataSource dataSource, string name, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<FundStore>();
        var fund = new Fund(Guid.CreateVersion7(), name, "bench", new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 1), 1_000m, 1_000_000m, 0m, false);
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            // Enough that neither side ever runs dry: every operation takes the contended path that succeeds.
            await store.Insert(fund, 100_000_000m, new CurrentUser("bench", "Bench", "admin", ""), tx, ct);
            await tx.CommitAsync(ct);
        }
        return fund.Id;
    }

    /// <summary>The baseline's one account, with as much money as the benchmark fund.</summary>
    private static async Task<Guid> CreateBareAccount(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            """
            CREATE TABLE bare_account (id uuid PRIMARY KEY, balance numeric(14,2) NOT NULL CHECK (balance >= 0));
            INSERT INTO bare_account (id, balance) VALUES (@id, 100000000);
            """, connection);
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteNonQueryAsync(ct);
        return id;
    }

    private static async Task<Measurement> MeasureLedger(
        NpgsqlDataSource dataSource, FundLedger ledger, Guid fundId, int clients, TimeSpan duration, bool commitTogether, CancellationToken ct)
    {
        var latencies = new ConcurrentBag<double>();
        var refused = 0L;
        async Task Disburse()
        {
            var started = Stopwatch.GetTimestamp();
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var posting = ledger.Prepare(LedgerKinds.Reserve, "bench", "bench",
                [new Leg(fundId, AccountKinds.Available, -1m), new Leg(fundId, AccountKinds.Reserved, 1m)], null, null);
            LedgerRefusal? refusal;
            if (commitTogether)
            {
                refusal = await FundLedger.Commit(tx, posting, [], ct);
            }
            else if ((refusal = await FundLedger.Post(tx, posting, ct)) is null)
            {
                await tx.CommitAsync(ct);
            }
            if (refusal is null)
            {
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            else
            {
                Interlocked.Increment(ref refused);
            }
        }

        // Warm the pool and the plans, then measure.
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Disburse()));
        latencies.Clear();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                await Disburse();
            }
        }, ct)));
        clock.Stop();
        var sorted = latencies.Order().ToArray();
        if (refused > 0)
        {
            throw new InvalidOperationException($"{refused} disbursements were refused: the benchmark fund ran dry.");
        }
        var shape = commitTogether ? "posting + COMMIT in one round trip" : "COMMIT a round trip after the posting";
        return new Measurement($"grants FundLedger, {shape}, {clients} clients", sorted.Length, clock.Elapsed, Percentile(sorted, 0.5), Percentile(sorted, 0.99));
    }

    /// <summary>
    /// The benchmark fund's accounts whose balance is not the sum of their entries (the baseline fund's balance was moved
    /// by the bare debit, without entries, as it is meant to be), and how many ledger transactions there are.
    /// </summary>
    private static async Task<(long Unbalanced, long Transactions)> Check(NpgsqlDataSource dataSource, Guid fundId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT count(*) FROM grants.account_balances a
                    WHERE a.fund_id = @fund AND a.balance <> coalesce((SELECT sum(amount) FROM grants.ledger_entries e WHERE e.account_id = a.id), 0)),
                   (SELECT count(*) FROM grants.ledger_transactions)
            """, connection);
        command.Parameters.AddWithValue("fund", fundId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    internal static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static async Task Execute(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
