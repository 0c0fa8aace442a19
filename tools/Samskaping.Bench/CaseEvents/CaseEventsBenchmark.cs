using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using Samskaping.Bench.Load;
using Samskaping.Bench.SystemUnderTest;

namespace Samskaping.Bench.CaseEvents;

/// <summary>
/// (b) End-to-end event latency: <c>POST /api/cases</c> through the gateway at fixed open-loop rates, and the time
/// from when each request was due until coordination's read model (its <c>coordination.groups</c> row, what
/// <c>GET /api/coordination/cases/{id}</c> answers from) has the case; plus outbox lag (row written → broker
/// confirmed) from the cases and coordination outboxes of those very cases.
/// </summary>
public sealed class CaseEventsBenchmark : IBenchmark
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);

    public string Name => "case-events";

    public string Description => "(b) POST /api/cases → coordination read model, at 10, 50 and 100 requests/s, with outbox lag";

    public async Task<BenchmarkReport> Run(BenchmarkContext context, CancellationToken ct)
    {
        var system = await context.LiveSystem.Get(ct);
        var seconds = context.Option("seconds", context.Quick ? 5 : 20);
        using var client = BenchSystem.Client(system.Gateway, system.Token("oppvekst", "caseworker", "bench-caseworker"));

        // Until the services' JIT has tiered up their hot paths, each one spends most of a core compiling, for tens of
        // seconds after its start (docs/performance.md). A shorter warm-up measures the compiler, not the system — and
        // decides whether a backlog is left for the next phase.
        var warmup = context.Option("warmup", context.Quick ? 5 : 60);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   warming up at 20 requests/s for {warmup} s"));
        await Phase(system, client, 20, warmup, ct);

        var measurements = new List<Measurement>();
        var notes = new List<string>();
        var goals = new List<Goal>();
        foreach (var rate in context.OptionList("rates", [10, 50, 100]))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {rate} requests/s for {seconds} s"));
            var phase = await Phase(system, client, rate, seconds, ct);
            measurements.Add(phase.Post);
            measurements.Add(phase.Visible);
            measurements.Add(phase.OutboxLag);
            if (phase.Failures is not null)
            {
                notes.Add($"{rate}/s: {phase.Failures}; they are left out of the latencies.");
            }
            if (phase.Missing > 0)
            {
                notes.Add($"{rate}/s: {phase.Missing} case(s) did not reach coordination within {DrainTimeout.TotalSeconds} s.");
            }
            if (rate == 50)
            {
                goals.Add(new Goal("POST case → coordination read model p99 at 50/s", phase.Missing == 0 && phase.Failures is null ? phase.Visible.P99Ms : double.NaN, AtLeast: false, 250, " ms"));
                goals.Add(new Goal("outbox lag p99 at 50/s", phase.OutboxLag.P99Ms, AtLeast: false, 100, " ms"));
            }
        }
        notes.Add("Latencies from when each POST was due (open loop), so a slow answer cannot lower the offered rate. " +
            $"Coordination's table is polled every {PollEvery.TotalMilliseconds} ms for the pending cases: visibility times are late by up to that much.");
        notes.Add("Outbox lag: published_at − created_at of every outbox row about these cases, in cases and coordination (an opening " +
            "writes one, CaseOpened in cases; coordination announces nothing for it); created_at is taken before the writing transaction commits.");
        return new BenchmarkReport(Name, measurements, new Dictionary<string, double>(), notes) { Goals = goals };
    }

    private sealed record PhaseResult(Measurement Post, Measurement Visible, Measurement OutboxLag, int Missing, string? Failures);

    private static async Task<PhaseResult> Phase(BenchSystem system, HttpClient client, int rate, int seconds, CancellationToken ct)
    {
        var pending = new ConcurrentDictionary<Guid, long>();
        var visible = new Latencies();
        var opened = new ConcurrentBag<Guid>();
        using var stopPolling = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await using var coordination = NpgsqlDataSource.Create(system.Database("coordination"));
        var poller = Poll(coordination, pending, visible, stopPolling.Token);

        var loop = new OpenLoop(rate, TimeSpan.FromSeconds(seconds));
        var start = Stopwatch.GetTimestamp();
        var result = await loop.Run(async (index, token) =>
        {
            var dueAt = start + (long)(loop.DueAt(index).TotalSeconds * Stopwatch.Frequency);
            using var response = await client.PostAsJsonAsync("api/cases", new
            {
                householdName = $"Familie {index}",
                need = new { text = "Vi ønsker støtte til at barna kan være med på fritidsaktiviteter.", saidBy = "Far" },
            }, token);
            if (!response.IsSuccessStatusCode)
            {
                return $"HTTP {(int)response.StatusCode}";
            }
            var caseId = (await response.Content.ReadFromJsonAsync<JsonElement>(token)).GetProperty("id").GetGuid();
            opened.Add(caseId);
            pending.TryAdd(caseId, dueAt);
            return null;
        }, ct);

        var drainUntil = Stopwatch.GetTimestamp() + (long)(DrainTimeout.TotalSeconds * Stopwatch.Frequency);
        while (!pending.IsEmpty && Stopwatch.GetTimestamp() < drainUntil)
        {
            await Task.Delay(50, ct);
        }
        await stopPolling.CancelAsync();
        await poller;

        var lags = await OutboxLags(system, [.. opened], ct);
        var name = string.Create(CultureInfo.InvariantCulture, $"{rate}/s");
        return new PhaseResult(
            new Measurement($"POST /api/cases via gateway at {name}", result.Sent, result.Elapsed, result.Latencies.Percentile(0.5), result.Latencies.Percentile(0.99)),
            new Measurement($"→ visible in coordination at {name}", visible.Count, result.Elapsed, visible.Percentile(0.5), visible.Percentile(0.99)),
            new Measurement($"outbox lag at {name}", lags.Count, result.Elapsed, lags.Percentile(0.5), lags.Percentile(0.99)),
            pending.Count,
            result.Failed == 0 ? null : $"{result.Failed} of {result.Sent} POSTs failed ({result.DescribeFailures()})");
    }

    /// <summary>Looks for the pending cases in coordination's groups table until cancelled; each one found leaves pending with its latency.</summary>
    private static async Task Poll(NpgsqlDataSource coordination, ConcurrentDictionary<Guid, long> pending, Latencies visible, CancellationToken ct)
    {
        await using var connection = await coordination.OpenConnectionAsync(ct);
        while (!ct.IsCancellationRequested)
        {
            if (!pending.IsEmpty)
            {
                var found = await connection.QueryAsync<Guid>(VisibleSince(pending.Keys));
                var now = Stopwatch.GetTimestamp();
                foreach (var id in found)
                {
                    if (pending.TryRemove(id, out var dueAt))
                    {
                        visible.Add(Stopwatch.GetElapsedTime(dueAt, now).TotalMilliseconds);
                    }
                }
            }
            try
            {
                await Task.Delay(PollEvery, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The rows at or after the oldest pending case. Case ids are version-7 GUIDs (time-ordered, and PostgreSQL orders
    /// uuids bytewise), so this is a range scan of the primary key over the cases opened since then — its cost follows
    /// the rate, not the backlog, whereas asking for every pending id (<c>= ANY(@ids)</c>) every 5 ms would load
    /// PostgreSQL most exactly when a backlog forms. Ids of any other version fall back to that.
    /// </summary>
    public static CommandDefinition VisibleSince(ICollection<Guid> pending)
    {
        if (pending.All(id => id.Version == 7))
        {
            return new CommandDefinition("SELECT case_id FROM coordination.groups WHERE case_id >= @since",
                new { since = pending.Select(MillisecondFloor).Aggregate((a, b) => InPostgresOrder(a, b) <= 0 ? a : b) },
                cancellationToken: CancellationToken.None);
        }
        return new CommandDefinition("SELECT case_id FROM coordination.groups WHERE case_id = ANY(@ids)",
            new { ids = pending.ToArray() }, cancellationToken: CancellationToken.None);
    }

    /// <summary>The smallest uuid of the millisecond of a version-7 id (its 48-bit timestamp, then zeros): ids made in
    /// that same millisecond with smaller random bits still sort at or after it.</summary>
    public static Guid MillisecondFloor(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        bytes[6..].Clear();
        return new Guid(bytes, bigEndian: true);
    }

    private static int InPostgresOrder(Guid a, Guid b) =>
        a.ToByteArray(bigEndian: true).AsSpan().SequenceCompareTo(b.ToByteArray(bigEndian: true));

    private static async Task<Latencies> OutboxLags(BenchSystem system, Guid[] caseIds, CancellationToken ct)
    {
        var lags = new Latencies();
        foreach (var service in new[] { "cases", "coordination" })
        {
            // The relays mark rows shortly after the broker confirms; give the last ones a moment.
            await using var connection = new NpgsqlConnection(system.Database(service));
            await connection.OpenAsync(ct);
            for (var attempt = 0; attempt < 100; attempt++)
            {
                var unpublished = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM messaging.outbox WHERE published_at IS NULL AND (body->>'caseId')::uuid = ANY(@caseIds)",
                    new { caseIds }, cancellationToken: ct));
                if (unpublished == 0)
                {
                    break;
                }
                await Task.Delay(100, ct);
            }
            var rows = await connection.QueryAsync<double>(new CommandDefinition(
                """
                SELECT EXTRACT(EPOCH FROM (published_at - created_at)) * 1000
                FROM messaging.outbox
                WHERE published_at IS NOT NULL AND (body->>'caseId')::uuid = ANY(@caseIds)
                """, new { caseIds }, cancellationToken: ct));
            foreach (var lag in rows)
            {
                lags.Add(lag);
            }
        }
        return lags;
    }
}
