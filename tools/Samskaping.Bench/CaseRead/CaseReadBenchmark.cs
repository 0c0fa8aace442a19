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
/// The p99 goal at half is each path's p99 over all its windows. Beside it, each window pair's p99 ratio (a gateway
/// window against the direct window just before it) and their median: how far the ratio wanders within one run is
/// what tells a reader how much one run's figure can be trusted.
/// </summary>
public sealed class CaseReadBenchmark : IBenchmark
{
    public string Name => "case-read";

    public string Description => "(a) authenticated case read: gateway vs direct, at saturation, a quarter and half of it; the gateway's added ms and CPU per read";

    public async Task<BenchmarkReport> Run(BenchmarkContext context, CancellationToken ct)
    {
        var system = await context.LiveSystem.Get(ct);
        var seconds = context.Option("seconds", context.Quick ? 3 : 10);
        var rounds = context.Option("rounds", context.Quick ? 1 : 2);
        var connections = context.Option("connections", 32);
        var openLoopSeconds = context.Option("open-loop-seconds", context.Quick ? 5 : 40);
        var windows = context.Option("open-loop-windows", context.Quick ? 1 : 8);

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

        // half-rate=N holds the open loop at one rate, to compare two settings at the same load; a quarter is half of it.
        var half = context.Option("half-rate", (int)Math.Max(2, Math.Round(directSaturation.PerSecond / 2)));
        var quarter = Math.Max(1, half / 2);
        var gatewayProcess = system["gateway"];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   open loop at {quarter} and at {half} requests/s for {openLoopSeconds} s on each path, in {windows} alternating windows"));
        var (directQuarter, gatewayQuarter, cpuQuarter, _) = await OpenLoopReads(direct, gateway, gatewayProcess, token, quarter, openLoopSeconds, windows, ct);
        var (directHalf, gatewayHalf, cpuHalf, p99HalfWindows) = await OpenLoopReads(direct, gateway, gatewayProcess, token, half, openLoopSeconds, windows, ct);

        var throughput = gatewaySaturation.PerSecond / directSaturation.PerSecond;
        var p50Quarter = gatewayQuarter.P50Ms / directQuarter.P50Ms;
        var p50Half = gatewayHalf.P50Ms / directHalf.P50Ms;
        var p99Half = gatewayHalf.P99Ms / directHalf.P99Ms;
        return new BenchmarkReport(Name, [directSaturation, gatewaySaturation, directQuarter, gatewayQuarter, directHalf, gatewayHalf],
            new Dictionary<string, double>
            {
                ["gateway / direct throughput at saturation"] = throughput,
                ["gateway / direct p50 at a quarter"] = p50Quarter,
                ["gateway / direct p99 at a quarter"] = gatewayQuarter.P99Ms / directQuarter.P99Ms,
                ["gateway / direct p50 at half"] = p50Half,
                ["gateway / direct p99 at half"] = p99Half,
                ["gateway / direct p99 at half, median of the window pairs' ratios"] = Statistics.Median(p99HalfWindows),
                ["gateway's added latency p50 at a quarter (ms)"] = gatewayQuarter.P50Ms - directQuarter.P50Ms,
                ["gateway's added latency p99 at a quarter (ms)"] = gatewayQuarter.P99Ms - directQuarter.P99Ms,
                ["gateway's added latency p50 at half (ms)"] = gatewayHalf.P50Ms - directHalf.P50Ms,
                ["gateway's added latency p99 at half (ms)"] = gatewayHalf.P99Ms - directHalf.P99Ms,
                ["gateway CPU per proxied read at a quarter (ms)"] = cpuQuarter,
                ["gateway CPU per proxied read at half (ms)"] = cpuHalf,
            },
            [
                $"Request: GET /api/cases/{{id}} of a case with two members (access checks, three queries, three access-log rows per read), token of another oppvekst caseworker.",
                $"Saturation: wrk, {rounds} round(s) of {seconds} s per path, direct and gateway alternating; the rate limiter is raised out of the way but stays on the path.",
                $"Open loop at a quarter ({quarter}/s) and at half ({half}/s) of {(context.Options.ContainsKey("half-rate") ? "the rate fixed by --option half-rate (×2)" : "the direct saturation")}, from a .NET driver on the same machine, {openLoopSeconds} s per path in {windows} window(s) alternating direct, gateway, direct, …; latency counted from when each request was due.",
                $"p99 at half, window pair by window pair (gateway / the direct window before it): {string.Join(", ", p99HalfWindows.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))}; the goal is on the p99s over all windows, the median of these is beside it.",
                "Added latency: gateway minus direct at the same percentile and rate, in ms. Gateway CPU per proxied read: the gateway process's utime + stime (/proc/PID/stat) over its open-loop windows, divided by the reads sent in them; the gateway's own background work (health probes, timers) is in it, which only counts against it.",
            ])
        {
            Goals =
            [
                new Goal("gateway / direct throughput", throughput, AtLeast: true, 0.8, "×"),
                new Goal("gateway / direct p50 at a quarter of saturation", p50Quarter, AtLeast: false, 1.25, "×"),
                new Goal("gateway / direct p99 at half of saturation", p99Half, AtLeast: false, 1.5, "×"),
                new Goal("gateway CPU per proxied read at a quarter", cpuQuarter, AtLeast: false, 0.5, " ms"),
                new Goal("gateway CPU per proxied read at half", cpuHalf, AtLeast: false, 0.5, " ms"),
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
    /// path, direct first, alternating; each path's latencies are pooled over its windows. Also the gateway process's
    /// CPU time per read over the gateway's windows, in ms, and each window pair's p99 ratio (gateway / direct).
    /// </summary>
    private static async Task<(Measurement Direct, Measurement Gateway, double GatewayCpuPerReadMs, List<double> P99Ratios)> OpenLoopReads(
        Uri direct, Uri gateway, ServiceProcess gatewayProcess, string token, double rate, int seconds, int windows, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windows, 1);
        var window = TimeSpan.FromSeconds((double)seconds / windows);
        using var directPath = new OpenLoopPath(direct, token, $"direct, open loop at {rate:F0}/s");
        using var gatewayPath = new OpenLoopPath(gateway, token, $"gateway, open loop at {rate:F0}/s");
        var gatewayCpu = TimeSpan.Zero;
        var p99Ratios = new List<double>();
        for (var i = 0; i < windows; i++)
        {
            var directP99 = await directPath.Run(rate, window, ct);
            var before = gatewayProcess.CpuTime();
            var gatewayP99 = await gatewayPath.Run(rate, window, ct);
            gatewayCpu += gatewayProcess.CpuTime() - before;
            p99Ratios.Add(gatewayP99 / directP99);
        }
        return (directPath.Measure(), gatewayPath.Measure(), gatewayCpu.TotalMilliseconds / Math.Max(1, gatewayPath.Sent), p99Ratios);
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
        private TimeSpan _elapsed;

        public long Sent { get; private set; }

        /// <summary>One window; returns its own p99 in ms.</summary>
        public async Task<double> Run(double rate, TimeSpan duration, CancellationToken ct)
        {
            var result = await Task.Factory.StartNew(() => _load.Run(new OpenLoop(rate, duration), ct), ct,
                TaskCreationOptions.LongRunning, TaskScheduler.Default);
            if (result.Failed > 0)
            {
                // A failed read has no latency to count: with failures the percentiles would flatter the path, so none are given.
                throw new InvalidOperationException($"{label}: {result.Failed} of {result.Sent} reads failed ({result.DescribeFailures()})");
            }
            _latencies.AddAll(result.Latencies);
            Sent += result.Sent;
            _elapsed += result.Elapsed;
            return result.Latencies.Percentile(0.99);
        }

        public Measurement Measure() => new(label, Sent, _elapsed, _latencies.Percentile(0.5), _latencies.Percentile(0.99));

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
