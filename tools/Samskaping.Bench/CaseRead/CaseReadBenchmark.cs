using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Samskaping.Bench.Load;
using Samskaping.Bench.SystemUnderTest;

namespace Samskaping.Bench.CaseRead;

/// <summary>
/// (a) <c>GET /api/cases/{id}</c> with a real token of a sector that sees the case, through the gateway beside
/// straight to the cases service's own port: saturation throughput with wrk (direct and gateway alternating), then
/// an open-loop constant rate of half the direct saturation throughput on both, for p50/p99 without coordinated omission.
/// The open-loop time of each path is cut into windows that alternate between the paths, so a change in the
/// machine's background load (it is shared) falls on both paths alike rather than on whichever ran second.
/// </summary>
public sealed class CaseReadBenchmark : IBenchmark
{
    public string Name => "case-read";

    public string Description => "(a) authenticated case read: gateway vs direct, at saturation and at half of it";

    public async Task<BenchmarkReport> Run(BenchmarkContext context, CancellationToken ct)
    {
        var system = await context.LiveSystem.Get(ct);
        var seconds = context.Option("seconds", context.Quick ? 3 : 10);
        var rounds = context.Option("rounds", context.Quick ? 1 : 2);
        var connections = context.Option("connections", 32);
        var openLoopSeconds = context.Option("open-loop-seconds", context.Quick ? 5 : 20);
        var windows = context.Option("open-loop-windows", context.Quick ? 1 : 4);

        var caseId = await OpenCaseWithTwoMembers(system, ct);
        // Another worker of the opening sector: sees the case through the sector's participation, not as its opener.
        var token = system.Token("oppvekst", "caseworker", "bench-reader");
        var path = $"api/cases/{caseId}";
        var direct = new Uri(system["cases"].Address, path);
        var gateway = new Uri(system.Gateway, path);

        Console.WriteLine("   warming up both paths");
        await Saturate(direct, token, connections, TimeSpan.FromSeconds(context.Quick ? 2 : 5), ct);
        await Saturate(gateway, token, connections, TimeSpan.FromSeconds(context.Quick ? 2 : 5), ct);

        var directRuns = new List<WrkResult>();
        var gatewayRuns = new List<WrkResult>();
        for (var round = 0; round < rounds; round++)
        {
            directRuns.Add(await Saturate(direct, token, connections, TimeSpan.FromSeconds(seconds), ct));
            gatewayRuns.Add(await Saturate(gateway, token, connections, TimeSpan.FromSeconds(seconds), ct));
        }
        var directSaturation = Combine($"direct :{direct.Port}, saturation (wrk, {connections} connections, closed-loop latencies)", directRuns);
        var gatewaySaturation = Combine($"gateway :{gateway.Port}, saturation (wrk, {connections} connections, closed-loop latencies)", gatewayRuns);

        // half-rate=N holds the open loop at one rate, to compare two settings at the same load.
        var rate = context.Option("half-rate", (int)Math.Max(1, Math.Round(directSaturation.PerSecond / 2)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   open loop at {rate} requests/s for {openLoopSeconds} s on each path, in {windows} alternating windows"));
        var (directHalf, gatewayHalf) = await OpenLoopReads(direct, gateway, token, rate, openLoopSeconds, windows, ct);

        var throughput = gatewaySaturation.PerSecond / directSaturation.PerSecond;
        var p50 = gatewayHalf.P50Ms / directHalf.P50Ms;
        var p99 = gatewayHalf.P99Ms / directHalf.P99Ms;
        return new BenchmarkReport(Name, [directSaturation, gatewaySaturation, directHalf, gatewayHalf],
            new Dictionary<string, double>
            {
                ["gateway / direct throughput at saturation"] = throughput,
                ["gateway / direct p50 at half load"] = p50,
                ["gateway / direct p99 at half load"] = p99,
                ["proxy hop p50 at half load (ms)"] = gatewayHalf.P50Ms - directHalf.P50Ms,
            },
            [
                $"Request: GET /api/cases/{{id}} of a case with two members (access checks, three queries, three access-log rows per read), token of another oppvekst caseworker.",
                $"Saturation: wrk, {rounds} round(s) of {seconds} s per path, direct and gateway alternating; the rate limiter is raised out of the way but stays on the path.",
                $"Half load: {rate:F0} requests/s ({(context.Options.ContainsKey("half-rate") ? "fixed by --option half-rate" : "half the direct saturation")}) open loop from a .NET driver on the same machine, {openLoopSeconds} s per path in {windows} window(s) alternating direct, gateway, direct, …; latency counted from when each request was due.",
            ])
        {
            Goals =
            [
                new Goal("gateway / direct throughput", throughput, AtLeast: true, 0.8, "×"),
                new Goal("gateway / direct p50 at half load", p50, AtLeast: false, 1.25, "×"),
                new Goal("gateway / direct p99 at half load", p99, AtLeast: false, 1.5, "×"),
            ],
        };
    }

    private static async Task<WrkResult> Saturate(Uri url, string token, int connections, TimeSpan duration, CancellationToken ct)
    {
        var result = await Wrk.Run(url, token, connections, threads: 2, duration, ct);
        if (result.NonSuccess > 0)
        {
            throw new InvalidOperationException($"{url}: {result.NonSuccess} answers were not 2xx; the measurement would be of errors");
        }
        if (result.SocketErrors is not null)
        {
            Console.WriteLine($"   {url}: {result.SocketErrors}");
        }
        return result;
    }

    private static Measurement Combine(string label, List<WrkResult> runs) => new(
        label,
        runs.Sum(r => r.Requests),
        TimeSpan.FromTicks(runs.Sum(r => r.Elapsed.Ticks)),
        runs.Average(r => r.P50Ms),
        runs.Max(r => r.P99Ms));

    /// <summary>
    /// <paramref name="windows"/> open-loop runs of <paramref name="seconds"/>/<paramref name="windows"/> s on each
    /// path, direct first, alternating; each path's latencies are pooled over its windows.
    /// </summary>
    private static async Task<(Measurement Direct, Measurement Gateway)> OpenLoopReads(
        Uri direct, Uri gateway, string token, double rate, int seconds, int windows, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windows, 1);
        var window = TimeSpan.FromSeconds((double)seconds / windows);
        var paths = new[] { new OpenLoopPath(direct, token, $"direct, open loop at {rate:F0}/s"), new OpenLoopPath(gateway, token, $"gateway, open loop at {rate:F0}/s") };
        try
        {
            for (var i = 0; i < windows; i++)
            {
                foreach (var path in paths)
                {
                    await path.Run(rate, window, ct);
                }
            }
            return (paths[0].Measure(), paths[1].Measure());
        }
        finally
        {
            foreach (var path in paths)
            {
                path.Dispose();
            }
        }
    }

    /// <summary>
    /// One path's open-loop reads over its windows, from one thread with its own connections (they stay open between
    /// windows): <see cref="PollingGetLoad"/>, so the driver takes as little as it can of the cores it shares with
    /// the system it measures.
    /// </summary>
    private sealed class OpenLoopPath(Uri url, string token, string label) : IDisposable
    {
        private readonly PollingGetLoad _load = new(url, token);
        private readonly Latencies _latencies = new();
        private long _sent;
        private TimeSpan _elapsed;

        public async Task Run(double rate, TimeSpan duration, CancellationToken ct)
        {
            var result = await Task.Factory.StartNew(() => _load.Run(new OpenLoop(rate, duration), ct), ct,
                TaskCreationOptions.LongRunning, TaskScheduler.Default);
            if (result.Failed > 0)
            {
                // A failed read has no latency to count: with failures the percentiles would flatter the path, so none are given.
                throw new InvalidOperationException($"{label}: {result.Failed} of {result.Sent} reads failed ({result.DescribeFailures()})");
            }
            _latencies.AddAll(result.Latencies);
            _sent += result.Sent;
            _elapsed += result.Elapsed;
        }

        public Measurement Measure() => new(label, _sent, _elapsed, _latencies.Percentile(0.5), _latencies.Percentile(0.99));

        public void Dispose() => _load.Dispose();
    }

    private static async Task<Guid> OpenCaseWithTwoMembers(BenchSystem system, CancellationToken ct)
    {
        using var client = BenchSystem.Client(system.Gateway, system.Token("oppvekst", "caseworker", "bench-opener"));
        using var opened = await client.PostAsJsonAsync("api/cases", new
        {
            householdName = "Familien Benk",
            need = new { text = "Vi trenger hjelp til at barna kan delta i fritidsaktiviteter.", saidBy = "Mor" },
        }, ct);
        await EnsureSuccess(opened, "open the case", ct);
        var caseId = (await opened.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
        foreach (var member in new object[]
        {
            new { name = "Mona Benk", role = "guardian", birthDate = "1985-04-15" },
            new { name = "Sara Benk", role = "child", birthDate = "2015-06-02" },
        })
        {
            using var added = await client.PostAsJsonAsync($"api/cases/{caseId}/members", member, ct);
            await EnsureSuccess(added, "add a member", ct);
        }
        return caseId;
    }

    private static async Task EnsureSuccess(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"could not {what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        }
    }
}
