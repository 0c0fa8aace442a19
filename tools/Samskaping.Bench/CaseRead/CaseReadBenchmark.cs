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

        var rate = Math.Max(1, Math.Round(directSaturation.PerSecond / 2));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   open loop at {rate} requests/s for {openLoopSeconds} s on each path"));
        var directHalf = await OpenLoopRead(direct, token, rate, openLoopSeconds, $"direct, open loop at {rate:F0}/s", ct);
        var gatewayHalf = await OpenLoopRead(gateway, token, rate, openLoopSeconds, $"gateway, open loop at {rate:F0}/s", ct);

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
                $"Half load: {rate:F0} requests/s (half the direct saturation) open loop from a .NET driver on the same machine; latency counted from when each request was due.",
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

    private static async Task<Measurement> OpenLoopRead(Uri url, string token, double rate, int seconds, string label, CancellationToken ct)
    {
        using var client = BenchSystem.Client(url, token);
        var result = await new OpenLoop(rate, TimeSpan.FromSeconds(seconds)).Run(async (_, token) =>
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead, token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }, ct);
        if (result.Failed > 0)
        {
            // A failed read has no latency to count: with failures the percentiles would flatter the path, so none are given.
            throw new InvalidOperationException($"{label}: {result.Failed} of {result.Sent} reads failed ({result.DescribeFailures()})");
        }
        return new Measurement(label, result.Sent, result.Elapsed, result.Latencies.Percentile(0.5), result.Latencies.Percentile(0.99));
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
