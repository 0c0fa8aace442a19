using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Samskaping.Grants;
using Samskaping.Grants.Funds;
using Samskaping.Grants.Ledger;
using Samskaping.Messaging.Bus;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Bench.Disbursements;

/// <summary>
/// Contended disbursements per second on ONE fund with 64 clients, two ways, in one run:
/// (1) the grants service's own ledger code path — <see cref="FundLedger.Post"/> moving 1 NOK from the fund's
///     available account to reserved, each in its own transaction: the conditional debit with its row-count check,
///     the credit, the ledger transaction and its two entries, the deferred zero-sum check and the FundLow check —
///     called in process against the service's schema (no HTTP, no idempotency row);
/// (2) pgbench with -c 64 running only the conditional UPDATE of the available account
///     (<c>UPDATE ... SET balance = balance - 1 WHERE id = X AND balance &gt;= 1</c>).
/// The ratio says what the double entry costs over the bare conditional update at the same contention.
/// </summary>
public sealed partial class DisbursementsBenchmark : IBenchmark
{
    private const int Clients = 64;

    public string Name => "disbursements";

    public string Description => "contended disbursements/s on one fund, 64 clients: grants' FundLedger vs raw conditional UPDATE (pgbench)";

    public async Task<BenchmarkReport> Run(BenchmarkContext context, CancellationToken ct)
    {
        var seconds = context.Option("seconds", context.Quick ? 5 : 20);
        var clients = context.Option("clients", Clients);
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
            var (fundId, availableId) = await CreateFund(host.Services, dataSource, ct);

            var ours = await MeasureLedger(dataSource, ledger, fundId, clients, TimeSpan.FromSeconds(seconds), ct);
            var raw = await MeasurePgbench(target, availableId, clients, seconds, ct);
            await using var check = await dataSource.OpenConnectionAsync(ct);
            await using var unbalanced = new NpgsqlCommand(
                "SELECT count(*) FROM grants.accounts a WHERE a.kind <> 'available' AND a.balance <> coalesce((SELECT sum(amount) FROM grants.ledger_entries e WHERE e.account_id = a.id), 0)",
                check);
            var mismatched = (long)(await unbalanced.ExecuteScalarAsync(ct))!;

            return new BenchmarkReport(Name, [ours, raw],
                new Dictionary<string, double> { ["pgbench conditional UPDATE / FundLedger disbursement"] = raw.PerSecond / ours.PerSecond },
                [
                    $"{clients} concurrent clients on one fund, {seconds} s each side, PostgreSQL at {target.Host}:{target.Port}.",
                    "FundLedger side: in-process calls of the grants service's ledger (conditional debit + credit + transaction + 2 entries + zero-sum check + FundLow check), one transaction each; no HTTP.",
                    "pgbench side: only the conditional debit UPDATE of the same available account, autocommit, -c " + clients.ToString(CultureInfo.InvariantCulture) + ".",
                    $"After the run: {mismatched} non-available accounts whose balance differs from the sum of their entries (expected 0; pgbench's raw updates bypass the ledger on the available account by design).",
                ]);
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
        builder.Services.AddSingleton<Outbox>();
        builder.Services.AddSingleton<FundLedger>();
        builder.Services.AddSingleton<FundStore>();
        var host = builder.Build();
        await host.StartAsync(ct);
        return host;
    }

    private static async Task<(Guid FundId, Guid AvailableId)> CreateFund(IServiceProvider services, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var store = services.GetRequiredService<FundStore>();
        var fund = new Fund(Guid.CreateVersion7(), "Benchmark fund", "bench", new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 1), 1_000m, 1_000_000m, 0m, false);
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            // Enough that neither side ever runs dry: every operation takes the contended path that succeeds.
            await store.Create(fund, 100_000_000m, new CurrentUser("bench", "Bench", "admin", ""), tx, ct);
            await tx.CommitAsync(ct);
        }
        await using var read = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand("SELECT id FROM grants.accounts WHERE fund_id = @f AND kind = 'available'", read);
        command.Parameters.AddWithValue("f", fund.Id);
        return (fund.Id, (Guid)(await command.ExecuteScalarAsync(ct))!);
    }

    private static async Task<Measurement> MeasureLedger(NpgsqlDataSource dataSource, FundLedger ledger, Guid fundId, int clients, TimeSpan duration, CancellationToken ct)
    {
        var latencies = new ConcurrentBag<double>();
        var refused = 0L;
        async Task Disburse()
        {
            var started = Stopwatch.GetTimestamp();
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var shortfall = await ledger.Post(tx, LedgerKinds.Reserve, "bench", "bench",
                [new Leg(fundId, AccountKinds.Available, -1m), new Leg(fundId, AccountKinds.Reserved, 1m)], null, null, ct);
            if (shortfall is null)
            {
                await tx.CommitAsync(ct);
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
        return new Measurement($"grants FundLedger.Post, {clients} clients", sorted.Length, clock.Elapsed, Percentile(sorted, 0.5), Percentile(sorted, 0.99));
    }

    private static async Task<Measurement> MeasurePgbench(NpgsqlConnectionStringBuilder target, Guid availableId, int clients, int seconds, CancellationToken ct)
    {
        var pgbench = Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin", "pgbench")).Where(File.Exists).Order().LastOrDefault()
            ?? throw new InvalidOperationException("pgbench not found under /usr/lib/postgresql/*/bin (Debian package postgresql-client or postgresql).");
        var work = Directory.CreateTempSubdirectory("samskaping-pgbench-");
        try
        {
            var script = Path.Combine(work.FullName, "disburse.sql");
            await File.WriteAllTextAsync(script,
                $"UPDATE grants.accounts SET balance = balance - 1 WHERE id = '{availableId}' AND balance >= 1;\n", ct);
            var start = new ProcessStartInfo(pgbench)
            {
                WorkingDirectory = work.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in new[]
            {
                "-h", target.Host!, "-p", target.Port.ToString(CultureInfo.InvariantCulture), "-U", target.Username ?? "postgres",
                "-n", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", Math.Min(clients, Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture),
                "-T", seconds.ToString(CultureInfo.InvariantCulture), "-f", script, "-l", "--log-prefix=tx", target.Database!,
            })
            {
                start.ArgumentList.Add(argument);
            }
            if (!string.IsNullOrEmpty(target.Password))
            {
                start.Environment["PGPASSWORD"] = target.Password;
            }
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var error = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"pgbench failed ({process.ExitCode}): {await error}");
            }
            var text = await output;
            var processed = long.Parse(Processed().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
            var latencies = new List<double>();
            foreach (var log in work.GetFiles("tx.*"))
            {
                foreach (var line in await File.ReadAllLinesAsync(log.FullName, ct))
                {
                    // client_id transaction_no time_us script_no time_epoch time_us_within_second
                    var fields = line.Split(' ');
                    if (fields.Length > 2 && double.TryParse(fields[2], CultureInfo.InvariantCulture, out var micros))
                    {
                        latencies.Add(micros / 1000.0);
                    }
                }
            }
            var sorted = latencies.Order().ToArray();
            return new Measurement($"pgbench conditional UPDATE, -c {clients}", processed, TimeSpan.FromSeconds(seconds),
                Percentile(sorted, 0.5), Percentile(sorted, 0.99));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static async Task Execute(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    [GeneratedRegex(@"number of transactions actually processed: (\d+)")]
    private static partial Regex Processed();
}
