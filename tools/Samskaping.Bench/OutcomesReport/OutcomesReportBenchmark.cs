using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Samskaping.Bench.Load;
using Samskaping.Messaging.Database;
using Samskaping.Outcomes;
using Samskaping.Outcomes.Instruments;
using Samskaping.Outcomes.Reports;
using Samskaping.Outcomes.Scoring;

namespace Samskaping.Bench.OutcomesReport;

/// <summary>
/// The group report (change in life satisfaction by sector) over 100,000 responses, through the outcomes service's
/// report code path (<see cref="ChangeReports.Build"/>: the same SQL, reliable change per person, statistics and
/// suppression the endpoint runs, without HTTP) beside one SQL statement written from the report's documented
/// definition (not from the service's query), on the same scratch database, in one run. Every figure the report
/// publishes is checked against that statement first; one disagreement fails the benchmark (and the run's exit code).
/// </summary>
public sealed class OutcomesReportBenchmark : IBenchmark
{
    private const string Domain = "life-satisfaction";
    private static readonly string[] NegativeDomains = ["gratitude-debt", "insecurity", "shame", "unfair-distribution", "unintended-use"];

    public string Name => "outcomes-report";

    public string Description => "group report over 100,000 responses: the outcomes report code path beside SQL written from the report's definition; any published figure that disagrees fails the run";

    public async Task<BenchmarkReport> Run(BenchmarkContext context, CancellationToken ct)
    {
        var responses = context.Option("responses", 100_000);
        var iterations = context.Option("iterations", context.Quick ? 5 : 20);
        var database = $"bench_outcomes_{Guid.NewGuid():N}"[..30];
        var admin = new NpgsqlConnectionStringBuilder(context.PostgresConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        var connectionString = new NpgsqlConnectionStringBuilder(context.PostgresConnectionString) { Database = database, CommandTimeout = 600 }.ConnectionString;
        await Execute(admin, $"CREATE DATABASE \"{database}\"", ct);
        try
        {
            await Migrate(connectionString, ct);
            var seedWatch = Stopwatch.StartNew();
            await ResponsesSeed.Seed(connectionString, responses, context.Seed, ct);
            Console.WriteLine($"   seeded {responses} responses in {seedWatch.Elapsed.TotalSeconds:F1} s");

            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            var norm = new DomainNorm { Reliability = 0.70, ReferenceSd = 1.9 };
            var options = Options.Create(new OutcomesOptions
            {
                PseudonymKey = "bench-only-key-0123456789abcdef0123",
                Scoring = new() { ["samskaping-core-v1"] = new() { [Domain] = norm } },
            });
            var reports = new ChangeReports(new ReportStore(dataSource), new InstrumentStore(dataSource), options);

            // Warm both once, and check every published figure against the independent SQL before timing them.
            var report = await reports.Build(Dimensions.Sector, Domain, NegativeDomains, ct);
            var aggregate = await SqlAggregate(dataSource, norm, options.Value.NegativeEffectAlertLevel, ct);
            var (compared, disagreements) = CrossCheck(report, aggregate);
            var notes = new List<string>
            {
                $"Code path: ChangeReports.Build (the handler of GET /api/outcomes/reports/change?by=sector, without HTTP) — per-person SQL rows, RCI, t-based CI, suppression in C#.",
                $"SQL aggregate: one statement written from the definition in services/Samskaping.Outcomes/README.md and the report's method note (not from the service's query): per person the first baseline and the furthest later point of the schedule (closing after every follow-up) of the same instrument version, then n, mean, SD, shares improved/unchanged/deteriorated by |RCI| > 1.96 and each negative effect's prevalence above the alert level, per lead sector and in total; the 95 % CI and d_z from those in this process (Student's t by its Cornish–Fisher expansion; the report's table t may differ by its stated 0.001, so its CI bounds may by 0.001·SD/√n).",
                $"{responses} responses, {aggregate.Where(a => a.Group != "total").Sum(a => a.N)} people with a baseline and a later response, {iterations} timed runs each.",
                disagreements.Count == 0
                    ? $"Cross-check: all {compared} published figures (every group and the total) agree with the independent SQL."
                    : $"Cross-check: {disagreements.Count} of {compared} published figures DISAGREE: {string.Join("; ", disagreements.Take(10))}",
            };
            if (disagreements.Count > 0)
            {
                throw new InvalidOperationException(
                    $"the outcomes report disagrees with the independent SQL on {disagreements.Count} of {compared} published figures: {string.Join("; ", disagreements.Take(10))}");
            }

            var codePath = await Time("report code path (ChangeReports.Build)", iterations, () => reports.Build(Dimensions.Sector, Domain, NegativeDomains, ct));
            var sql = await Time("SQL written from the definition", iterations, () => SqlAggregate(dataSource, norm, options.Value.NegativeEffectAlertLevel, ct));
            return new BenchmarkReport(Name, [codePath, sql],
                new Dictionary<string, double> { ["code path / SQL from the definition (p50)"] = codePath.P50Ms / sql.P50Ms }, notes);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await Execute(admin, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", CancellationToken.None);
        }
    }

    private static async Task<Measurement> Time<T>(string label, int iterations, Func<Task<T>> run)
    {
        var samples = new Latencies();
        var total = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            var one = Stopwatch.StartNew();
            await run();
            samples.Add(one.Elapsed.TotalMilliseconds);
        }
        total.Stop();
        return new Measurement(label, iterations, total.Elapsed, samples.Percentile(0.5), samples.Percentile(0.99));
    }

    private sealed record AggregateRow(
        string Group, long N, double Mean, double Sd, long Improved, long Unchanged, long Deteriorated, long[] NegativeCounts);

    /// <summary>
    /// Every figure the report publishes (a hidden group or share is null and not compared), against the independent
    /// aggregate; a group or total the report has and the SQL has not (or the other way round) is a disagreement too.
    /// </summary>
    private static (int Compared, List<string> Disagreements) CrossCheck(ChangeReportDto report, List<AggregateRow> aggregate)
    {
        var compared = 0;
        var disagreements = new List<string>();
        var expected = aggregate.ToDictionary(a => a.Group, StringComparer.Ordinal);
        var cells = report.Groups.Append(report.Total).ToList();
        foreach (var missing in expected.Keys.Except(cells.Select(c => c.Group), StringComparer.Ordinal))
        {
            disagreements.Add($"group {missing} is missing from the report");
        }
        void Compare(string group, string figure, double? published, double independent, double tolerance)
        {
            if (published is not { } value)
            {
                return;
            }
            compared++;
            if (Math.Abs(value - independent) > tolerance)
            {
                disagreements.Add(string.Create(CultureInfo.InvariantCulture, $"{group} {figure}: report {value:G10}, SQL {independent:G10}"));
            }
        }
        foreach (var cell in cells.Where(c => !c.Suppressed))
        {
            if (!expected.TryGetValue(cell.Group, out var row))
            {
                disagreements.Add($"group {cell.Group} is in the report but not in the SQL");
                continue;
            }
            var halfWidth = StudentT975(row.N - 1) * row.Sd / Math.Sqrt(row.N);
            var classified = (double)(row.Improved + row.Unchanged + row.Deteriorated);
            Compare(cell.Group, "n", cell.N, row.N, 0);
            Compare(cell.Group, "mean change", cell.MeanChange, row.Mean, 1e-9);
            Compare(cell.Group, "SD of change", cell.SdChange, row.Sd, 1e-9);
            // The service takes t from the standard table (three decimals, interpolated in 1/df past 30), which its
            // method states to be within 0.001 of the exact quantile: a bound off by more than that is a disagreement.
            var tableTolerance = 0.001 * row.Sd / Math.Sqrt(row.N) + 1e-9;
            Compare(cell.Group, "95 % CI low", cell.CiLow, row.Mean - halfWidth, tableTolerance);
            Compare(cell.Group, "95 % CI high", cell.CiHigh, row.Mean + halfWidth, tableTolerance);
            Compare(cell.Group, "d_z", cell.EffectSizeDz, row.Mean / row.Sd, 1e-9);
            Compare(cell.Group, "share improved", cell.ShareImproved, row.Improved / classified, 1e-12);
            Compare(cell.Group, "share unchanged", cell.ShareUnchanged, row.Unchanged / classified, 1e-12);
            Compare(cell.Group, "share deteriorated", cell.ShareDeteriorated, row.Deteriorated / classified, 1e-12);
            for (var i = 0; i < NegativeDomains.Length; i++)
            {
                Compare(cell.Group, $"{NegativeDomains[i]} prevalence", cell.NegativeEffectPrevalence?.GetValueOrDefault(NegativeDomains[i]),
                    row.NegativeCounts[i] / (double)row.N, 1e-12);
            }
        }
        return (compared, disagreements);
    }

    /// <summary>
    /// Student's t at 97.5 % for <paramref name="df"/> degrees of freedom, by the Cornish–Fisher expansion around the
    /// normal quantile (error under 1e-7 from 30 degrees of freedom on; the benchmark's groups have thousands).
    /// </summary>
    private static double StudentT975(long df)
    {
        const double z = 1.959963984540054;
        double v = df, z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z, z9 = z7 * z * z;
        return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v)
            + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v)
            + (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * v * v * v * v);
    }

    /// <summary>
    /// The report's numbers from its definition, in one statement: per person (and case) the first baseline response,
    /// and of the later responses to the same instrument version the one furthest along the schedule (closing after
    /// every follow-up, follow-ups by their month; the last recorded among equals); change = its score − the baseline's.
    /// Improved / deteriorated: change / S_diff beyond ±1.96 with S_diff = SD·√2·√(1 − r) (life satisfaction is not a
    /// negative effect, so a rise is an improvement). A negative effect counts when that latest response scores it above
    /// the alert level. Per lead sector ('unknown' without one), and the total.
    /// </summary>
    private static async Task<List<AggregateRow>> SqlAggregate(NpgsqlDataSource dataSource, DomainNorm norm, int alertLevel, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(string Group, long N, double Mean, double Sd, long Improved, long Unchanged, long Deteriorated, long[] NegativeCounts)>(new CommandDefinition(
            """
            WITH answered AS (
                SELECT resp.id, resp.case_id, resp.person_id, resp.instrument_id, resp.version, resp.recorded_at, meas.kind,
                       row_number() OVER (PARTITION BY resp.case_id, resp.person_id, meas.kind = 'baseline'
                                          ORDER BY resp.recorded_at, resp.id) AS first_rank,
                       CASE meas.kind WHEN 'closing' THEN 1000000 WHEN 'follow-up' THEN meas.offset_months ELSE -1 END AS point
                FROM outcomes.responses resp
                JOIN outcomes.measurements meas ON meas.id = resp.measurement_id
            ),
            first_baseline AS (
                SELECT * FROM answered WHERE kind = 'baseline' AND first_rank = 1
            ),
            later AS (
                SELECT a.id, a.case_id, a.person_id, fb.id AS baseline_response,
                       row_number() OVER (PARTITION BY a.case_id, a.person_id ORDER BY a.point DESC, a.recorded_at DESC, a.id DESC) AS last_rank
                FROM answered a
                JOIN first_baseline fb USING (case_id, person_id, instrument_id, version)
                WHERE a.kind <> 'baseline'
            ),
            person AS (
                SELECT coalesce(facts.lead_sector, 'unknown') AS sector,
                       (after_score.score - before_score.score)::float8 AS change,
                       ARRAY(SELECT count(*) FILTER (WHERE neg.score > @alertLevel) FROM unnest(@negativeDomains::text[]) WITH ORDINALITY AS d(domain, ord)
                             LEFT JOIN outcomes.domain_scores neg ON neg.response_id = l.id AND neg.domain = d.domain
                             GROUP BY d.ord ORDER BY d.ord) AS negatives
                FROM later l
                JOIN outcomes.domain_scores before_score ON before_score.response_id = l.baseline_response AND before_score.domain = @domain
                JOIN outcomes.domain_scores after_score ON after_score.response_id = l.id AND after_score.domain = @domain
                LEFT JOIN outcomes.case_facts facts ON facts.case_id = l.case_id
                WHERE l.last_rank = 1
            ),
            grouped AS (
                SELECT CASE WHEN GROUPING(sector) = 1 THEN 'total' ELSE sector END AS grp,
                       count(*) AS n, avg(change) AS mean, stddev_samp(change) AS sd,
                       count(*) FILTER (WHERE change / @sDiff > 1.96) AS improved,
                       count(*) FILTER (WHERE abs(change / @sDiff) <= 1.96) AS unchanged,
                       count(*) FILTER (WHERE change / @sDiff < -1.96) AS deteriorated,
                       array_agg(negatives) AS negatives
                FROM person GROUP BY ROLLUP (sector)
            )
            SELECT grp, n, mean, sd, improved, unchanged, deteriorated,
                   ARRAY(SELECT sum(x.v)::bigint FROM unnest(negatives) WITH ORDINALITY AS x(v, i)
                         GROUP BY (x.i - 1) % @domains ORDER BY (x.i - 1) % @domains) AS negative_counts
            FROM grouped ORDER BY grp
            """,
            new
            {
                alertLevel,
                domain = Domain,
                negativeDomains = NegativeDomains,
                domains = NegativeDomains.Length,
                sDiff = norm.ReferenceSd * Math.Sqrt(2) * Math.Sqrt(1 - norm.Reliability),
            }, cancellationToken: ct, commandTimeout: 600));
        return [.. rows.Select(r => new AggregateRow(r.Group, r.N, r.Mean, r.Sd, r.Improved, r.Unchanged, r.Deteriorated, r.NegativeCounts))];
    }

    private static async Task Migrate(string connectionString, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Database"] = connectionString });
        builder.Logging.ClearProviders();
        builder.AddServiceDatabase(typeof(OutcomesModule).Assembly);
        using var host = builder.Build();
        await host.StartAsync(ct);
        await host.StopAsync(ct);
    }

    private static async Task Execute(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
