using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Samskaping.Bench.Load;
using Samskaping.Bench.SystemUnderTest;

namespace Samskaping.Bench.Workspace;

/// <summary>
/// The workspace as a caseworker meets it: the time from request to the whole HTML of the case page and of "Mitt
/// arbeid" through the gateway, at a steady rate (open loop: latency from when a request was due), signed in through
/// the development identity provider as Kari; and the bytes on the wire of a first load with an empty cache. Runs its
/// own system (the identity provider, the five services, the gateway and the workspace, ports 5190–5199), since the
/// shared one checks locally signed tokens.
/// </summary>
public sealed partial class WorkspaceBenchmark : IBenchmark
{
    private const double P99GoalMs = 150;
    private const double FirstLoadGoalBytes = 200 * 1000;

    public string Name => "workspace";

    public string Description => "server time of the case page and Mitt arbeid (p50/p99 at a steady rate) and bytes of a first load, signed in";

    public async Task<BenchmarkReport> Run(BenchmarkContext context, CancellationToken ct)
    {
        var rate = context.Option("rate", context.Quick ? 10 : 20);
        var seconds = context.Option("seconds", context.Quick ? 10 : 30);
        var caseCount = context.Option("cases", 20);
        await using var system = await BenchSystem.StartSignedIn(context.LiveSystem.Environment, ct);
        var gateway = system.Gateway;

        var caseIds = await OpenCases(system, caseCount, ct);
        using var browser = new SignedInBrowser();
        await browser.SignIn(gateway, "Kari Nordmann", ct);

        var pages = new (string Label, Func<int, Uri> Address, string Heading)[]
        {
            ("case page /saker/{id}", i => new Uri(gateway, $"saker/{caseIds[i % caseIds.Count]}"), "Familien Bench"),
            ("Mitt arbeid /", _ => gateway, "Mitt arbeid"),
        };
        var measurements = new List<Measurement>();
        var goals = new List<Goal>();
        var notes = new List<string>();
        foreach (var (label, address, heading) in pages)
        {
            // Warm: the JIT, the connection pools and the services' caches, as on any working day.
            for (var i = 0; i < 30; i++)
            {
                await Load(browser, address(i), heading, ct);
            }
            var loop = new OpenLoop(rate, TimeSpan.FromSeconds(seconds));
            var result = await loop.Run((i, token) => Load(browser, address(i), heading, token), ct);
            if (result.Failed > 0)
            {
                throw new InvalidOperationException($"{label}: {result.Failed} of {result.Sent} loads failed ({result.DescribeFailures()})");
            }
            var (p50, p99) = (result.Latencies.Percentile(0.50), result.Latencies.Percentile(0.99));
            measurements.Add(new Measurement($"{label}, {rate}/s open loop", result.Sent, result.Elapsed, p50, p99));
            goals.Add(new Goal($"{label} p99", p99, AtLeast: false, P99GoalMs, " ms"));
        }

        var (bytes, parts) = await FirstLoad(browser, new Uri(gateway, $"saker/{caseIds[0]}"), ct);
        goals.Add(new Goal("first load of the case page, bytes on the wire", bytes, AtLeast: false, FirstLoadGoalBytes, " B"));
        notes.Add($"First load of the case page with an empty cache, Accept-Encoding: br, gzip: {bytes:N0} bytes on the wire in " +
            $"{parts.Count} responses ({string.Join("; ", parts)}).".ToString(CultureInfo.InvariantCulture));
        notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"Signed in once as Kari Nordmann (coordinator, oppvekst) through the identity provider's page; {caseIds.Count} cases opened by her through the API, " +
            $"each page load a GET through the gateway to the workspace, which renders on the server from the API read back through the gateway " +
            $"(the case page: the case, its consents, its coordination group and its grants; Mitt arbeid: the work list). " +
            $"{rate} loads/s for {seconds} s per page after 30 warm-up loads; latency from when each load was due to its last byte; every answer checked for status 200 and its heading."));
        return new BenchmarkReport(Name, measurements, new Dictionary<string, double>(), notes) { Goals = goals };
    }

    private static async Task<List<Guid>> OpenCases(BenchSystem system, int count, CancellationToken ct)
    {
        using var api = BenchSystem.Client(system.Gateway, await system.PersonToken("Kari Nordmann", "oppvekst", "coordinator", ct));
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            using var opened = await api.PostAsJsonAsync("api/cases", new
            {
                householdName = "Familien Bench",
                need = new { text = $"Vi trenger en fast person å snakke med ({i + 1}).", saidBy = "Mor" },
            }, ct);
            opened.EnsureSuccessStatusCode();
            ids.Add((await opened.Content.ReadFromJsonAsync<Opened>(ct))!.Id);
        }
        // The case page reads the coordination group too: wait until the events have made every case known there.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        foreach (var id in ids)
        {
            while ((await api.GetAsync($"api/coordination/cases/{id}", ct)).StatusCode != System.Net.HttpStatusCode.OK)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"coordination did not learn of case {id} within 60 s");
                }
                await Task.Delay(200, ct);
            }
        }
        return ids;
    }

    /// <summary>Null when the page came whole with its heading; otherwise why not.</summary>
    private static async Task<string?> Load(SignedInBrowser browser, Uri address, string heading, CancellationToken ct)
    {
        using var response = await browser.Send(new HttpRequestMessage(HttpMethod.Get, address), ct);
        if (!response.IsSuccessStatusCode)
        {
            return ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        }
        var html = await response.Content.ReadAsStringAsync(ct);
        return html.Contains(heading, StringComparison.Ordinal) ? null : "200 without its heading";
    }

    /// <summary>The page and everything it links to that a browser fetches before showing it, compressed as a browser asks.</summary>
    private static async Task<(long Bytes, List<string> Parts)> FirstLoad(SignedInBrowser browser, Uri page, CancellationToken ct)
    {
        var parts = new List<string>();
        var (total, html) = await Fetch(page);
        // Relative addresses resolve against the page's <base href>, as the browser resolves them.
        var resolveAgainst = BaseHref().Match(html) is { Success: true } found ? new Uri(page, System.Net.WebUtility.HtmlDecode(found.Groups["url"].Value)) : page;
        foreach (var link in Subresources().Matches(html).Select(m => m.Groups["url"].Value).Distinct(StringComparer.Ordinal))
        {
            total += (await Fetch(new Uri(resolveAgainst, System.Net.WebUtility.HtmlDecode(link)))).Bytes;
        }
        return (total, parts);

        async Task<(long Bytes, string Body)> Fetch(Uri address)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, address);
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
            using var response = await browser.Send(request, ct);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            var encoding = response.Content.Headers.ContentEncoding.FirstOrDefault() ?? "identity";
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{address.AbsolutePath} {body.Length:N0} B {encoding}"));
            return (body.Length, encoding == "identity" ? System.Text.Encoding.UTF8.GetString(body) : "");
        }
    }

    [GeneratedRegex(@"<(?:link[^>]*rel=""(?:stylesheet|icon|modulepreload|preload)""[^>]*href|script[^>]*src|img[^>]*src)=""(?<url>[^""]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex Subresources();

    [GeneratedRegex(@"<base[^>]*href=""(?<url>[^""]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex BaseHref();

    private sealed record Opened(Guid Id);
}
