using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Samskaping.Bench.Load;
using Samskaping.Grants;
using Samskaping.Grants.Funds;
using Samskaping.Grants.Idempotency;
using Samskaping.Grants.Ledger;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Bench.Disbursements;

/// <summary>
/// Contended disbursements per second on ONE fund with 64 clients. The headline: the ledger path in process — the
/// grants service's own ledger code, <see cref="FundLedger.Prepare"/> + <see cref="FundLedger.Commit"/>, an approval's
/// reservation of 1 NOK (available → reserved) sent as the service sends it: BEGIN, the call of <c>grants.post</c> and
/// COMMIT in one round trip (no HTTP, no idempotency row) — against its own conditional debit alone, <c>UPDATE
/// grants.fund_balances SET available = available - 1 WHERE fund_id = … AND available >= 1</c>, by pgbench in prepared
/// mode (<c>update.pgbench.sql</c>); goal ≥ 0.3×. Beside it the same debit of a one-column table
/// (<c>bare-table.pgbench.sql</c>), which no change to the ledger's tables can move.
/// The headline is the median of per-round ratios, each round running the sides back to back (alternating which goes
/// first), because a shared host's speed drifts: sides far apart in time would compare the host as well as the code,
/// and the median keeps one disturbed round from deciding the figure. Every side of every round gets a fund (or table
/// row) nothing has updated yet, because a row that has taken many updates is slower to update, and the faster side,
/// making more updates, would pay more for it.
/// Second figures, once each after the rounds: the ledger through HTTP (<see cref="HttpReallocations"/>: the service's
/// reallocation endpoint with an Idempotency-Key), pgbench running the same <c>grants.post</c> call raw
/// (<c>posting.pgbench.sql</c>, which isolates the client's share), and the ledger code with COMMIT a round trip after
/// the posting.
/// </summary>
public sealed class DisbursementsBenchmark : IBenchmark
{
    private const int Clients = 64;

    public string Name => "disbursements";

    public string Description => "contended disbursements/s on one fund, 64 clients: grants' ledger (in process and over HTTP) vs the bare conditional UPDATE (pgbench -M prepared), in interleaved rounds";

    public async Task<BenchmarkReport> Run(BenchmarkContext context, CancellationToken ct)
    {
        var seconds = context.Option("seconds", context.Quick ? 3 : 10);
        var rounds = context.Option("rounds", context.Quick ? 1 : 5);
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
            var duration = TimeSpan.FromSeconds(seconds);
            await CreateBareTable(dataSource, ct);

            var rows = new List<Measurement>();
            var bareRates = new List<double>();
            var ledgerRates = new List<double>();
            var ratios = new List<double>();
            var tableRatios = new List<double>();
            var ledgerFunds = new List<Guid>();
            for (var round = 1; round <= rounds; round++)
            {
                var baselineFund = await CreateFund(host.Services, dataSource, $"Benchmark baseline fund {round}", ct);
                var bareAccount = await AddBareAccount(dataSource, ct);
                var fundId = await CreateFund(host.Services, dataSource, $"Benchmark fund {round}", ct);
                ledgerFunds.Add(fundId);
                Task<Measurement> Bare() => Pgbench.Measure(target, Path.Combine(scripts, "update.pgbench.sql"), [$"fund={baselineFund}"],
                    $"round {round}: pgbench -M prepared bare conditional UPDATE of a fund's balances row, -c {clients}", clients, seconds, ct);
                Task<Measurement> Table() => Pgbench.Measure(target, Path.Combine(scripts, "bare-table.pgbench.sql"), [$"account={bareAccount}"],
                    $"round {round}: pgbench -M prepared bare conditional UPDATE of a one-column table, -c {clients}", clients, seconds, ct);
                Task<Measurement> Ours() => LedgerClients.Measure(dataSource, ledger, fundId, clients, duration, commitTogether: true,
                    $"round {round}: grants FundLedger in process, posting + COMMIT in one round trip, {clients} clients", ct);
                Measurement bare, table, ours;
                if (round % 2 == 1)
                {
                    bare = await Bare();
                    table = await Table();
                    ours = await Ours();
                }
                else
                {
                    ours = await Ours();
                    table = await Table();
                    bare = await Bare();
                }
                rows.AddRange([bare, table, ours]);
                bareRates.Add(bare.PerSecond);
                ledgerRates.Add(ours.PerSecond);
                ratios.Add(ours.PerSecond / bare.PerSecond);
                tableRatios.Add(ours.PerSecond / table.PerSecond);
            }

            var rawFund = await CreateFund(host.Services, dataSource, "Benchmark fund (pgbench grants.post)", ct);
            var raw = await Pgbench.Measure(target, Path.Combine(scripts, "posting.pgbench.sql"),
                [$"fund={rawFund}", $"fundlow={FundLedger.FundLowType}"], $"pgbench -M prepared grants.post, -c {clients}", clients, seconds, ct);
            var separateFund = await CreateFund(host.Services, dataSource, "Benchmark fund (COMMIT apart)", ct);
            ledgerFunds.Add(separateFund);
            var separate = await LedgerClients.Measure(dataSource, ledger, separateFund, clients, duration, commitTogether: false,
                $"grants FundLedger, COMMIT a round trip after the posting, {clients} clients", ct);
            var (unbalanced, transactions) = await Check(dataSource, ledgerFunds, ct);
            var system = await context.LiveSystem.Get(ct);
            var http = await HttpReallocations.Measure(system, clients, duration, ct);
            rows.AddRange([http, raw, separate]);

            var inProcess = Statistics.Median(ratios);
            var bareRate = Statistics.Median(bareRates);
            var ledgerRate = Statistics.Median(ledgerRates);
            return new BenchmarkReport(Name, rows,
                new Dictionary<string, double>
                {
                    ["FundLedger in process / bare conditional UPDATE, median of the rounds (goal >= 0.3)"] = inProcess,
                    ["grants HTTP reallocation / bare conditional UPDATE (median of the rounds' bare rates)"] = http.PerSecond / bareRate,
                    ["FundLedger in process / bare conditional UPDATE of a one-column table, median of the rounds"] = Statistics.Median(tableRatios),
                    ["FundLedger in process (median of the rounds' rates) / pgbench grants.post"] = ledgerRate / raw.PerSecond,
                    ["FundLedger, COMMIT with the posting (median of the rounds' rates) / COMMIT a round trip later"] = ledgerRate / separate.PerSecond,
                },
                [
                    $"{clients} concurrent clients on one fund, {seconds} s per side, PostgreSQL at {target.Host}:{target.Port}. {rounds} rounds of the bare UPDATE, the one-column table and the ledger in process, one after another (odd rounds in that order, even rounds the other way round), each side on a fund or row of its own that nothing had updated; then the second figures once each.",
                    $"The rounds' ratios FundLedger in process / bare conditional UPDATE: {string.Join(", ", ratios.Select(r => r.ToString("0.000", CultureInfo.InvariantCulture)))}; the headline is their median.",
                    "The bare conditional UPDATE (headline denominator): update.pgbench.sql under pgbench -M prepared, the ledger's conditional debit alone, UPDATE grants.fund_balances SET available = available - 1 WHERE fund_id = $1 AND available >= 1, autocommit: no ledger transaction, no entries, no client logic. Beside it bare-table.pgbench.sql, the same debit of a table of its own (id, balance, CHECK (balance >= 0)).",
                    "FundLedger in process: the grants service's ledger code called in this process: BEGIN + SELECT grants.post(...) (the ledger transaction's row with its two legs under their CHECKs and account check, the fund's conditional debit and credit with row-count check, FundLow check) + COMMIT, in one round trip; no HTTP, no idempotency row.",
                    "grants HTTP: POST /api/grants/funds/{fund}/reallocations of 1 NOK to a second fund with a fresh Idempotency-Key each, straight at the grants process (Release, ReadyToRun): Kestrel, JWT, the fund-manager filter, validation, the idempotency row and the ledger transaction; the client shares the 2 cores with the service and PostgreSQL.",
                    "pgbench grants.post: posting.pgbench.sql, the same call the ledger code sends, prepared and autocommit: the ratio to it isolates the client's cost, since the database work is identical.",
                    $"After the ledger rows: {unbalanced} of the ledger funds' accounts whose balance differs from the sum of their entries (expected 0) over {transactions} ledger transactions.",
                ])
            {
                Goals =
                [
                    new Goal("FundLedger in process / bare conditional UPDATE (pgbench -M prepared), median of the rounds", inProcess, AtLeast: true, 0.3, "×"),
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

    private static async Task CreateBareTable(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            "CREATE TABLE bare_account (id uuid PRIMARY KEY, balance numeric(14,2) NOT NULL CHECK (balance >= 0))", connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A round's row of the one-column table, with as much money as a benchmark fund.</summary>
    private static async Task<Guid> AddBareAccount(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand("INSERT INTO bare_account (id, balance) VALUES (@id, 100000000)", connection);
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteNonQueryAsync(ct);
        return id;
    }

    /// <summary>
    /// The ledger funds' accounts whose balance is not the sum of their entries (the baseline funds' balances were moved
    /// by the bare debit, without entries, as they are meant to be), and how many ledger transactions there are.
    /// </summary>
    private static async Task<(long Unbalanced, long Transactions)> Check(NpgsqlDataSource dataSource, IReadOnlyList<Guid> funds, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT count(*) FROM grants.account_balances a
                    LEFT JOIN (SELECT account_id, sum(amount) AS total FROM grants.ledger_entries GROUP BY account_id) e ON e.account_id = a.id
                    WHERE a.fund_id = ANY (@funds) AND a.balance <> coalesce(e.total, 0)),
                   (SELECT count(*) FROM grants.ledger_transactions)
            """, connection);
        command.Parameters.AddWithValue("funds", funds.ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task Execute(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
