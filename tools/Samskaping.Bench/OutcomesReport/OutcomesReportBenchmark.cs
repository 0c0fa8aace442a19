using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Samskaping.Messaging.Database;
using Samskaping.Outcomes;
using Samskaping.Outcomes.Instruments;
using Samskaping.Outcomes.Reports;
using Samskaping.Outcomes.Scoring;

namespace Samskaping.Bench.OutcomesReport;

/// <summary>
/// The group report (change in life satisfaction by sector) over 100,000 responses, through the outcomes service's
/// report code path (<see cref="ChangeReports.Build"/>: the same SQL, reliable change per person, statistics and
/// suppression the endpoint runs, without HTTP) beside one hand-written SQL aggregate of the same numbers, on the
/// same scratch database, in one run.
/// </summary>
public sealed class OutcomesReportBenchmark : IBenchmark
{
    private const string Domain = "life-satisfaction";
    private static readonly string[] NegativeDomains = ["gratitude-debt", "insecurity", "shame", "unfair-distribution", "unintended-use"];

    public string Name => "outcomes-report";

    public string Description => "group report over 100,000 responses: the outcomes report code path beside a hand-written SQL aggregate";

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
            await Seed(connectionString, responses, context.Seed, ct);
            Console.WriteLine($"   seeded {responses} responses in {seedWatch.Elapsed.TotalSeconds:F1} s");

            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            var norm = new DomainNorm { Reliability = 0.70, ReferenceSd = 1.9 };
            var options = Options.Create(new OutcomesOptions
            {
                PseudonymKey = "bench-only-key-0123456789abcdef0123",
                Scoring = new() { ["samskaping-core-v1"] = new() { [Domain] = norm } },
            });
            var reports = new ChangeReports(new ReportStore(dataSource), new InstrumentStore(dataSource), options);

            // Warm both once, and check that they agree before timing them.
            var report = await reports.Build(Dimensions.Sector, Domain, NegativeDomains, ct);
            var aggregate = await SqlAggregate(dataSource, norm, options.Value.NegativeEffectAlertLevel, ct);
            var notes = new List<string>
            {
                $"Code path: ChangeReports.Build (the handler of GET /api/outcomes/reports/change?by=sector, without HTTP) — per-person SQL rows, RCI, t-based CI, suppression in C#.",
                $"SQL aggregate: one statement computing n, mean change, SD, shares improved and deteriorated and shame prevalence per sector (no CI, no suppression).",
                $"{responses} responses, {aggregate.Sum(a => a.N)} people with a baseline and a later response, {iterations} timed runs each.",
            };
            foreach (var row in aggregate)
            {
                var cell = report.Groups.Single(g => g.Group == row.Group);
                var agrees = cell.N == row.N && Math.Abs(cell.MeanChange!.Value - row.Mean) < 1e-6 && Math.Abs(cell.ShareImproved!.Value - row.ShareImproved) < 1e-9;
                notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{row.Group}: n {cell.N} / {row.N}, mean change {cell.MeanChange:F4} / {row.Mean:F4}, improved {cell.ShareImproved:F4} / {row.ShareImproved:F4} — {(agrees ? "agree" : "DISAGREE")}"));
            }

            var codePath = await Time("report code path (ChangeReports.Build)", iterations, () => reports.Build(Dimensions.Sector, Domain, NegativeDomains, ct));
            var sql = await Time("hand-written SQL aggregate", iterations, () => SqlAggregate(dataSource, norm, options.Value.NegativeEffectAlertLevel, ct));
            return new BenchmarkReport(Name, [codePath, sql],
                new Dictionary<string, double> { ["code path / SQL aggregate (p50)"] = codePath.P50Ms / sql.P50Ms }, notes);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await Execute(admin, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", CancellationToken.None);
        }
    }

    private static async Task<Measurement> Time<T>(string label, int iterations, Func<Task<T>> run)
    {
        var samples = new List<double>();
        var total = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            var one = Stopwatch.StartNew();
            await run();
            samples.Add(one.Elapsed.TotalMilliseconds);
        }
        total.Stop();
        samples.Sort();
        return new Measurement(label, iterations, total.Elapsed, Percentile(samples, 0.5), Percentile(samples, 0.99));
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private sealed record AggregateRow(string Group, long N, double Mean, double Sd, double ShareImproved, double ShareDeteriorated, double ShamePrevalenceShare);

    /// <summary>The same numbers in one statement: RCI threshold |x2 − x1| / (SD·√2·√(1 − r)) &gt; 1.96, computed in SQL.</summary>
    private static async Task<List<AggregateRow>> SqlAggregate(NpgsqlDataSource dataSource, DomainNorm norm, int alertLevel, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<AggregateRow>(new CommandDefinition(
            """
            WITH r AS (
                SELECT r.id, r.case_id, r.person_id, r.recorded_at, r.instrument_id, r.version, m.kind
                FROM outcomes.responses r JOIN outcomes.measurements m ON m.id = r.measurement_id
            ),
            baseline AS (SELECT DISTINCT ON (case_id, person_id) * FROM r WHERE kind = 'baseline' ORDER BY case_id, person_id, recorded_at, id),
            latest AS (
                SELECT DISTINCT ON (r.case_id, r.person_id) r.*, b.id AS baseline_id
                FROM r JOIN baseline b ON b.case_id = r.case_id AND b.person_id = r.person_id AND b.instrument_id = r.instrument_id AND b.version = r.version
                WHERE r.kind <> 'baseline' ORDER BY r.case_id, r.person_id, r.recorded_at DESC, r.id DESC
            ),
            change AS (
                SELECT COALESCE(f.lead_sector, 'unknown') AS grp, (ls.score - bs.score)::float8 AS change,
                       EXISTS (SELECT 1 FROM outcomes.domain_scores s WHERE s.response_id = x.id AND s.domain = 'shame' AND s.score > @alertLevel) AS shame
                FROM latest x
                JOIN outcomes.domain_scores bs ON bs.response_id = x.baseline_id AND bs.domain = 'life-satisfaction'
                JOIN outcomes.domain_scores ls ON ls.response_id = x.id AND ls.domain = 'life-satisfaction'
                LEFT JOIN outcomes.case_facts f ON f.case_id = x.case_id
            )
            SELECT grp AS "Group", count(*) AS N, avg(change) AS Mean, stddev_samp(change) AS Sd,
                   avg((change / @sDiff > 1.96)::int)::float8 AS ShareImproved, avg((change / @sDiff < -1.96)::int)::float8 AS ShareDeteriorated,
                   avg(shame::int)::float8 AS ShamePrevalenceShare
            FROM change GROUP BY grp ORDER BY grp
            """,
            new { alertLevel, sDiff = norm.ReferenceSd * Math.Sqrt(2) * Math.Sqrt(1 - norm.Reliability) }, cancellationToken: ct, commandTimeout: 600));
        return rows.AsList();
    }

    /// <summary>Two people per case (a parent and a child), four measurements per case, every person answering each one.</summary>
    private static async Task Seed(string connectionString, int responses, int seed, CancellationToken ct)
    {
        var people = responses / 4;
        var cases = people / 2;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            SELECT setseed(@seed);
            CREATE TEMP TABLE bench_cases AS
                SELECT g AS n, gen_random_uuid() AS case_id, gen_random_uuid() AS mother, gen_random_uuid() AS child,
                       (ARRAY['oppvekst', 'helse-velferd', 'kultur', 'nav', 'frivillighet'])[1 + (g % 5)] AS sector,
                       timestamptz '2025-01-01' + (g % 365) * interval '1 day' AS activated_at
                FROM generate_series(1, @cases) g;
            INSERT INTO outcomes.case_facts (case_id, lead_sector, lead_since, activated_at)
                SELECT case_id, sector, activated_at, activated_at FROM bench_cases;
            INSERT INTO outcomes.household_members (case_id, person_id, role, birth_date)
                SELECT case_id, mother, 'parent', date '1985-01-01' + (n % 3000) FROM bench_cases
                UNION ALL SELECT case_id, child, 'child', date '2012-01-01' + (n % 3000) FROM bench_cases;
            INSERT INTO outcomes.disbursements_paid (disbursement_id, case_id, amount, paid_on)
                SELECT gen_random_uuid(), case_id, (n % 7) * 4000, date '2025-06-01' FROM bench_cases WHERE n % 7 > 0;
            CREATE TEMP TABLE bench_measurements AS
                SELECT c.case_id, c.mother, c.child, gen_random_uuid() AS id, k.kind, k.months,
                       c.activated_at + k.months * interval '1 month' + interval '14 days' AS due_at
                FROM bench_cases c
                CROSS JOIN (VALUES ('baseline', 0), ('follow-up', 3), ('follow-up', 6), ('follow-up', 12)) AS k(kind, months);
            INSERT INTO outcomes.measurements (id, case_id, kind, offset_months, due_at, scheduled_at, completed_at)
                SELECT id, case_id, kind, CASE WHEN kind = 'follow-up' THEN months END, due_at, due_at - interval '1 month', due_at
                FROM bench_measurements;
            CREATE TEMP TABLE bench_responses AS
                SELECT gen_random_uuid() AS id, m.id AS measurement_id, m.case_id, p.person_id, m.due_at AS recorded_at,
                       m.months, floor(random() * 11)::int AS life, floor(random() * 11)::int AS shame
                FROM bench_measurements m CROSS JOIN LATERAL (VALUES (m.mother), (m.child)) AS p(person_id);
            INSERT INTO outcomes.responses (id, measurement_id, case_id, person_id, instrument_id, version, respondent_kind, partial, recorded_by, recorded_by_sector, recorded_at)
                SELECT id, measurement_id, case_id, person_id, 'samskaping-core', 1, 'self', true, 'bench', 'oppvekst', recorded_at FROM bench_responses;
            INSERT INTO outcomes.domain_scores (response_id, domain, score)
                SELECT id, 'life-satisfaction', LEAST(10, life + months / 4) FROM bench_responses
                UNION ALL SELECT id, 'shame', shame FROM bench_responses;
            ANALYZE;
            """,
            new { seed = (seed % 1000) / 1000.0, cases }, cancellationToken: ct, commandTimeout: 600));
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
