using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using Samskaping.Bench.Load;
using Samskaping.Bench.SystemUnderTest;

namespace Samskaping.Bench.Growth;

/// <summary>
/// (4) Cost as the data grows: the person-level reads of a day's work — the work list (all and mine), a name search, the case
/// page, the timeline, a person's access history across the five services, coordination's my-work — and the reports,
/// timed at 1× and at <c>factor</c>× the data. The probes are made through the API; the data around them is cloned
/// from them in SQL (<see cref="Filler"/>). A person-level read is index-bound when its p99 at the larger size stays
/// within 1.5× of its p99 at 1×; a read that misses it has its plans printed (EXPLAIN) so it can be fixed.
/// </summary>
public sealed class GrowthBenchmark : IBenchmark
{
    public string Name => "growth";

    public string Description => "(4) person-level reads and reports at 1× and 10× the data (cases, people, access log, ledger, outcome responses): p99 growth per read";

    public async Task<BenchmarkReport> Run(BenchmarkContext context, CancellationToken ct)
    {
        var system = await context.LiveSystem.Get(ct);
        var probeCount = context.Option("probes", context.Quick ? 4 : 16);
        var baseCases = context.Option("cases", context.Quick ? 2_000 : 20_000);
        var factor = context.Option("factor", 10);
        var samples = context.Option("samples", context.Quick ? 40 : 300);
        // A p99 of one run of 300 sequential reads is the third-slowest of them: on a shared machine a few disturbed
        // seconds decide it, and it flipped from met to missed between two runs with the p50 flat. So each person-level
        // read is timed in rounds, the rounds of all reads interleaved (a disturbance lands in one round of one read), and
        // its p99 is the median of its rounds' p99s; every round's p99 is printed.
        var rounds = context.Option("rounds", context.Quick ? 2 : 5);
        // A report aggregates every row in its scope, so one call at the larger size takes seconds; its figure is stated,
        // not held to a goal, so a tenth of the samples is enough and keeps the run's length in proportion to its seeding.
        var reportSamples = Math.Max(10, samples / 10);
        int SamplesOf(Read read) => read.PersonLevel ? samples : reportSamples;
        int WarmUpOf(Read read) => read.PersonLevel ? Math.Max(probeCount * 2, samples / 4) : 2;

        Console.WriteLine($"   {probeCount} probe cases through the API");
        var probes = await Probes.Create(system, probeCount, ct);
        await Settle(system, ct);
        var fillers = BenchSystem.ServiceNames.ToDictionary(s => s, s => new Filler(system.Database(s)));
        foreach (var filler in fillers.Values)
        {
            await filler.Snapshot(ct);
        }
        var templateCases = await fillers["cases"].Count("cases.cases", ct);
        var copies = (int)Math.Max(1, Math.Ceiling((double)baseCases / templateCases) - 1);
        var reads = Reads(system, probes);

        var results = new List<(int Scale, string Sizes, TimeSpan Seeding, Dictionary<string, Measurement> Reads, Dictionary<string, double[]> RoundP99s)>();
        foreach (var scale in new[] { 1, factor })
        {
            var seeding = TimeSpan.Zero;
            foreach (var filler in fillers.Values)
            {
                seeding += await filler.GrowTo(copies * scale, ct);
            }
            var sizes = await Sizes(system, ct);
            Console.WriteLine($"   {scale}×: {sizes} (seeded in {seeding.TotalSeconds:0} s); {rounds} × {samples} reads of each person-level kind, {reportSamples} of each report");
            await CheckChangeReportCounts(system, ProbeAnswers.PeopleInChangeReport(probeCount, copies * scale), scale, ct);
            // Every read once round the probes and more before any is timed: the first calls after new data pay for
            // cold caches and plans, and would otherwise count against whichever size comes first.
            foreach (var (name, read) in reads)
            {
                await Measure($"{name}, warm-up", read, WarmUpOf(read), ct);
            }
            var timed = reads.ToDictionary(r => r.Key, _ => new List<(Latencies Latencies, TimeSpan Elapsed)>());
            for (var round = 0; round < rounds; round++)
            {
                foreach (var (name, read) in reads.Where(r => r.Value.PersonLevel || round == 0))
                {
                    timed[name].Add(await Time($"{name} at {scale}×", read, SamplesOf(read), ct));
                }
            }
            var measured = timed.ToDictionary(t => t.Key, t => Summarise($"{t.Key} at {scale}×", t.Value));
            var roundP99s = timed.Where(t => t.Value.Count > 1).ToDictionary(t => t.Key, t => t.Value.Select(r => r.Latencies.Percentile(0.99)).ToArray());
            foreach (var (name, p99s) in roundP99s)
            {
                Console.WriteLine($"   {name} at {scale}×: p99 of each round {string.Join(", ", p99s.Select(p => p.ToString("0.00", CultureInfo.InvariantCulture)))} ms");
            }
            results.Add((scale, sizes, seeding, measured, roundP99s));
        }

        var small = results[0].Reads;
        var large = results[1].Reads;
        var ratios = reads.Keys.ToDictionary(name => $"{name}: p99 at {factor}× / p99 at 1×", name => large[name].P99Ms / small[name].P99Ms);
        var goals = reads.Where(r => r.Value.PersonLevel)
            .Select(r => new Goal($"{r.Key}: p99 at {factor}× / 1×", large[r.Key].P99Ms / small[r.Key].P99Ms, AtLeast: false, 1.5, "×"))
            .ToList();
        var notes = new List<string>
        {
            $"1×: {results[0].Sizes}; {factor}×: {results[1].Sizes}. Seeding took {results[0].Seeding.TotalSeconds:0} s and {results[1].Seeding.TotalSeconds:0} s: SQL clones of {probeCount} probe cases made through the API ({string.Join("; ", fillers.Select(f => $"{f.Key}: {f.Value}"))}).",
            $"Each probe case is active, with {ProbeAnswers.Adults} consenting adults, {ProbeAnswers.ResponsesPerCase} outcome responses (both adults' baselines and {ProbeAnswers.ResponsesPerCase - ProbeAnswers.Adults} follow-ups) and {ProbeAnswers.LedgerEntriesPerCase} ledger entries (two grants approved, one paid); the fund's own entries come on top, one fund per copy.",
            $"Each person-level read: {rounds} rounds of {samples} requests one after another through the gateway, round-robin over the probes, the rounds of all reads interleaved; p50 of all its requests, p99 the median of its rounds' p99s. Each report: {reportSamples} requests, p50/p99 of those.",
            "Reports grow with the data by nature (they aggregate every row in their scope): their ratio is stated, not held to a goal.",
            "Grants spending report: linear in the approved grants — one pass over every approved grant with its disbursements, grouped by fund, sector, category and month; each copy has a fund of its own, so the rows it returns grow with the data too.",
            $"Outcomes change report: linear (n log n) in the responses — every response joined to its measurement, sorted to pick each person's baseline and latest, then one row per person (here {ProbeAnswers.Adults} per case) aggregated in the service; its total n was checked to be {ProbeAnswers.PeopleInChangeReport(probeCount, copies):N0} at 1× and {ProbeAnswers.PeopleInChangeReport(probeCount, copies * factor):N0} at {factor}× (every adult of every case), so the larger size is a larger population, not the same people again.",
        };
        notes.AddRange(results.Select(r => $"p99 of each round at {r.Scale}×: " + string.Join("; ", r.RoundP99s.Select(p =>
            $"{p.Key} {string.Join(", ", p.Value.Select(v => v.ToString("0.00", CultureInfo.InvariantCulture)))} ms"))));
        return new BenchmarkReport(Name, [.. small.Values, .. large.Values], ratios, notes) { Goals = goals };
    }

    private sealed record Read(bool PersonLevel, Func<int, CancellationToken, Task<HttpResponseMessage>> Send);

    private static Dictionary<string, Read> Reads(BenchSystem system, IReadOnlyList<Probe> probes)
    {
        var worker = BenchSystem.Client(system.Gateway, system.Token("oppvekst", "caseworker", Probes.Opener));
        var privacy = BenchSystem.Client(system.Gateway, system.Token("oppvekst", "privacy-officer", "growth-privacy"));
        var analyst = BenchSystem.Client(system.Gateway, system.Token("oppvekst", "analyst", "growth-analyst"));
        Probe P(int i) => probes[i % probes.Count];
        return new Dictionary<string, Read>(StringComparer.Ordinal)
        {
            ["work list (every case I may see)"] = new(true, (i, ct) => worker.GetAsync("api/cases?limit=20", ct)),
            ["work list (my cases)"] = new(true, (i, ct) => worker.GetAsync("api/cases?scope=mine&limit=20", ct)),
            ["name search"] = new(true, (i, ct) => worker.GetAsync($"api/cases?q={Uri.EscapeDataString(P(i).Surname)}&limit=20", ct)),
            ["case page"] = new(true, (i, ct) => worker.GetAsync($"api/cases/{P(i).CaseId}", ct)),
            ["timeline"] = new(true, (i, ct) => worker.GetAsync($"api/cases/{P(i).CaseId}/timeline?limit=20", ct)),
            ["access history (five services)"] = new(true, (i, ct) => privacy.GetAsync($"api/cases/persons/{P(i).GuardianId}/access-log?limit=50", ct)),
            ["my work (coordination)"] = new(true, (i, ct) => worker.GetAsync("api/coordination/my-work", ct)),
            ["grants spending report"] = new(false, (i, ct) => analyst.GetAsync("api/grants/reports/spending", ct)),
            ["outcomes change report"] = new(false, (i, ct) => analyst.GetAsync("api/outcomes/reports/change", ct)),
        };
    }

    private static async Task<Measurement> Measure(string label, Read read, int samples, CancellationToken ct) =>
        Summarise(label, [await Time(label, read, samples, ct)]);

    /// <summary>p50 over every request of every round; p99 the median of the rounds' p99s (one round: its p99).</summary>
    private static Measurement Summarise(string label, IReadOnlyList<(Latencies Latencies, TimeSpan Elapsed)> rounds)
    {
        var all = new Latencies();
        foreach (var round in rounds)
        {
            all.AddAll(round.Latencies);
        }
        var median = Statistics.Median(rounds.Select(r => r.Latencies.Percentile(0.99)));
        return new Measurement(label, all.Count, TimeSpan.FromTicks(rounds.Sum(r => r.Elapsed.Ticks)), all.Percentile(0.5), median);
    }

    private static async Task<(Latencies Latencies, TimeSpan Elapsed)> Time(string label, Read read, int samples, CancellationToken ct)
    {
        var latencies = new Latencies();
        var watch = Stopwatch.StartNew();
        for (var i = -Math.Min(10, samples / 10); i < samples; i++)
        {
            var one = Stopwatch.StartNew();
            using var response = await read.Send(Math.Abs(i), ct);
            await response.Content.LoadIntoBufferAsync(ct);
            one.Stop();
            await Probes.Ensure(response, label, ct);
            if (i >= 0)
            {
                latencies.Add(one.Elapsed.TotalMilliseconds);
            }
        }
        return (latencies, watch.Elapsed);
    }

    /// <summary>
    /// The change report must count every adult of every case, copies included: a clone that lost its link to its
    /// measurement, its scores or its person would make the larger size time a report over the same people.
    /// </summary>
    private static async Task CheckChangeReportCounts(BenchSystem system, long expected, int scale, CancellationToken ct)
    {
        using var analyst = BenchSystem.Client(system.Gateway, system.Token("oppvekst", "analyst", "growth-analyst"));
        using var response = await analyst.GetAsync("api/outcomes/reports/change", ct);
        await Probes.Ensure(response, "GET api/outcomes/reports/change", ct);
        var total = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("total").GetProperty("n");
        var people = total.ValueKind == JsonValueKind.Number ? total.GetInt64() : 0;
        if (people != expected)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"the outcomes change report at {scale}× counts {people} people, not the {expected} adults with a baseline and a follow-up the probes and their copies hold"));
        }
    }

    /// <summary>
    /// Waits until outcomes has announced the probes' due baselines (its scheduler looks once a minute) and every
    /// service's outbox is drained, so the probes' rows are everywhere before they are cloned, and no copy is a due
    /// measurement still to announce: the scheduler would otherwise send one MeasurementDue per copy while the reads
    /// are timed.
    /// </summary>
    private static async Task Settle(BenchSystem system, CancellationToken ct)
    {
        await using (var outcomes = new NpgsqlConnection(system.Database("outcomes")))
        {
            var announceBy = DateTime.UtcNow.AddSeconds(150);
            while (await outcomes.ExecuteScalarAsync<long>("""
                SELECT count(*) FROM outcomes.measurements
                WHERE due_at <= now() AND due_announced_at IS NULL AND cancelled_at IS NULL AND completed_at IS NULL
                """) > 0)
            {
                if (DateTime.UtcNow > announceBy)
                {
                    throw new InvalidOperationException("outcomes did not announce the probes' due measurements within 150 s");
                }
                await Task.Delay(1000, ct);
            }
        }
        var deadline = DateTime.UtcNow.AddSeconds(60);
        foreach (var service in BenchSystem.ServiceNames)
        {
            await using var connection = new NpgsqlConnection(system.Database(service));
            while (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM messaging.outbox WHERE published_at IS NULL") > 0)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"{service}'s outbox did not drain within 60 s");
                }
                await Task.Delay(200, ct);
            }
        }
        await Task.Delay(TimeSpan.FromSeconds(2), ct); // the last deliveries' consumers commit
    }

    private static async Task<string> Sizes(BenchSystem system, CancellationToken ct)
    {
        async Task<long> Rows(string service, string sql)
        {
            await using var connection = new NpgsqlConnection(system.Database(service));
            return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, cancellationToken: ct));
        }
        var cases = await Rows("cases", "SELECT count(*) FROM cases.cases");
        var people = await Rows("cases", "SELECT count(*) FROM cases.persons");
        var accessLog = 0L;
        foreach (var service in BenchSystem.ServiceNames)
        {
            accessLog += await Rows(service, "SELECT count(*) FROM access.access_log");
        }
        var ledger = await Rows("grants", "SELECT count(*) FROM grants.ledger_entries");
        // Joined to their funds, as the reports read them: a clone that lost its fund would not be counted.
        var grants = await Rows("grants", "SELECT count(*) FROM grants.grants g JOIN grants.funds f ON f.id = g.fund_id");
        var timeline = await Rows("cases", "SELECT count(*) FROM cases.timeline");
        var responses = await Rows("outcomes", "SELECT count(*) FROM outcomes.responses");
        return string.Create(CultureInfo.InvariantCulture,
            $"{cases:N0} cases, {people:N0} people, {timeline:N0} timeline entries, {accessLog:N0} access-log rows (five services), {grants:N0} grants, {ledger:N0} ledger entries ({(double)ledger / cases:0.0} per case), {responses:N0} outcome responses ({(double)responses / cases:0.0} per case)");
    }
}
