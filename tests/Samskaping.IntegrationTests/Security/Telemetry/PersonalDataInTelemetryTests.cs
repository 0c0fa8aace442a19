using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Samskaping.IntegrationTests.Benefits.Lookup;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Security.Telemetry;

/// <summary>
/// The services' walk-throughs, end to end through the gateway with every log
/// category at Trace, the query redaction of the instrumentations switched off, and every span and metric recorded,
/// leave no identity number, person name or account number in any log line (message, structured values, scopes,
/// exceptions), span (names, tags, events, links, baggage) or metric tag of any process; nor does a name searched for,
/// in the query and in the headers a client fills.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class PersonalDataInTelemetryTests(TelemetrySystem system)
{
    [Fact]
    public async Task The_whole_walk_through_at_trace_level_leaves_no_personal_data_in_logs_or_spans()
    {
        var family = new Family();
        var scanner = new PersonalDataScanner()
            .Number("the mother's identity number", family.MotherNumber)
            .Number("the father's identity number", family.FatherNumber)
            .Number("the child's identity number", family.ChildNumber)
            .Number("the family's account number", family.FamilyAccount)
            .Number("the landlord's account number", family.LandlordAccount)
            .Name("the mother's name", family.Mother)
            .Name("the father's name", family.Father)
            .Name("the child's name", family.Child);

        await new WalkThrough(system, family).Run();

        var findings = system.Everything().SelectMany(s => scanner.Findings(s.Source, s.Texts)).ToList();
        findings.ShouldBeEmpty(string.Join(Environment.NewLine, findings.Take(20)));
        // The scan looked at something real: every process wrote at the most verbose levels, and spans crossed the bus.
        foreach (var (process, logs) in system.Logs)
        {
            logs.Lines.Any(l => l.StartsWith("Trace ", StringComparison.Ordinal) || l.StartsWith("Debug ", StringComparison.Ordinal))
                .ShouldBeTrue($"{process} wrote no Trace or Debug line");
        }
        system.Spans.Spans.ShouldContain(s => s.StartsWith("MassTransit", StringComparison.Ordinal));
        system.Spans.Spans.ShouldContain(s => s.Contains("/digisos/api/v1/", StringComparison.Ordinal), "the feed reached the simulator");
        system.Metrics.Texts().ShouldContain(m => m.Contains("http.server.request.duration", StringComparison.Ordinal), "metrics were recorded");
    }

    [Fact]
    public async Task A_name_searched_for_reaches_no_span_log_or_metric_of_the_gateway_or_a_service()
    {
        var name = new Family().Mother;
        var scanner = new PersonalDataScanner().Name("the searched name", name);
        var query = Uri.EscapeDataString(name);
        using var kari = system.Client("oppvekst", "caseworker", "kari-search-" + Guid.NewGuid().ToString("N")[..8]);
        // Header values a client is free to fill: the name rides along in them too.
        kari.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", $"Fagsystem/1.0 ({query})");
        kari.DefaultRequestHeaders.TryAddWithoutValidation("Referer", $"https://fagsystem.example/sok?navn={query}");
        using var analyst = system.Client("oppvekst", "analyst", "analyst-search");
        using var cases = new HttpClient { BaseAddress = system.Addresses["cases"] };
        cases.DefaultRequestHeaders.Authorization = kari.DefaultRequestHeaders.Authorization;

        (await kari.GetAsync($"/api/cases?scope=visible&q={query}&limit=10")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await kari.GetAsync($"/api/cases?q={query}&limit=-1")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await kari.GetAsync($"/api/nowhere?q={query}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await analyst.GetAsync($"/api/cases?q={query}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await cases.GetAsync($"/api/cases?scope=visible&q={query}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // A request Kestrel itself refuses: with its log at Debug it describes what it could not read.
        var refused = await SendRaw(system.Gateway, $"GET /api/cases?q={query}\u00ff HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n");
        refused.ShouldStartWith("HTTP/1.1 400", customMessage: refused);

        var findings = system.Everything().SelectMany(s => scanner.Findings(s.Source, s.Texts)).ToList();
        findings.ShouldBeEmpty(string.Join(Environment.NewLine, findings.Take(20)));
        system.Spans.Spans.ShouldContain(s => s.Contains("GET /api/cases", StringComparison.Ordinal), "the searches were traced");
    }

    /// <summary>Bytes no HTTP client library would send (each character one byte); answers what came back.</summary>
    private static async Task<string> SendRaw(Uri address, string request)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(System.Text.Encoding.Latin1.GetBytes(request));
        using var answer = new MemoryStream();
        await stream.CopyToAsync(answer);
        return System.Text.Encoding.ASCII.GetString(answer.ToArray());
    }

    [Fact]
    public void The_scanner_finds_a_planted_identity_number_even_when_spaced_or_dotted()
    {
        var number = SyntheticIdentityNumbers.Adult();
        var scanner = new PersonalDataScanner().Number("an identity number", number);

        scanner.Findings("log", [$"Looking up {number} now"]).ShouldHaveSingleItem();
        scanner.Findings("log", [$"sokerFnr={number[..6]} {number[6..]}"]).ShouldHaveSingleItem();
        scanner.Findings("span", [string.Join(".", number.Chunk(3).Select(c => new string(c)))]).ShouldHaveSingleItem();
        scanner.Findings("log", [$"port 1{number}0", "nothing here", number[..10]]).ShouldBeEmpty();
    }

    [Fact]
    public void The_scanner_finds_a_planted_name_as_written_json_escaped_or_url_encoded()
    {
        var scanner = new PersonalDataScanner().Name("a name", "Åse Kjærnes-Øvrebø");

        scanner.Findings("log", ["Added ÅSE  kjærnes-øvrebø to the household"]).ShouldHaveSingleItem();
        scanner.Findings("log", [@"{""name"":""\u00C5se Kj\u00E6rnes-\u00D8vreb\u00F8""}"]).ShouldHaveSingleItem();
        scanner.Findings("span", ["url.full=http://x/?q=%C3%85se%20Kj%C3%A6rnes-%C3%98vreb%C3%B8"]).ShouldHaveSingleItem();
        scanner.Findings("log", ["Åse went home", "Kjærnes-Øvrebø"]).ShouldBeEmpty();
    }

    [Fact]
    public void The_scanner_finds_a_planted_account_number_in_the_usual_grouping()
    {
        var scanner = new PersonalDataScanner().Number("an account number", "12345678903");

        scanner.Findings("log", ["payee 1234 56 78903"]).ShouldHaveSingleItem();
        scanner.Findings("log", ["payee 1234.56.78903"]).ShouldHaveSingleItem();
    }
}

/// <summary>A family of this run: synthetic identity and account numbers (valid check digits, nobody's), names with æøå.</summary>
internal sealed class Family
{
    private static readonly string[] Surnames = ["Kjærnes", "Ødegård", "Bråthen", "Sæther", "Løvås", "Æsøy", "Håkonsæter"];

    public Family()
    {
        var surname = Surnames[Random.Shared.Next(Surnames.Length)] + "-" + Surnames[Random.Shared.Next(Surnames.Length)] + "sdatter";
        Mother = "Åse Øyvor " + surname;
        Father = "Bjørn Ærlend " + surname;
        Child = "Sølvi Ådne " + surname;
    }

    public string Mother { get; }

    public string Father { get; }

    public string Child { get; }

    public string MotherNumber { get; } = SyntheticIdentityNumbers.Adult();

    public string FatherNumber { get; } = SyntheticIdentityNumbers.Adult();

    public string ChildNumber { get; } = SyntheticIdentityNumbers.Child();

    public string FamilyAccount { get; } = AccountNumber();

    public string LandlordAccount { get; } = AccountNumber();

    /// <summary>An 11-digit Norwegian account number with a valid mod-11 check digit.</summary>
    private static string AccountNumber()
    {
        int[] weights = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
        while (true)
        {
            var digits = Enumerable.Range(0, 10).Select(i => i == 0 ? 1 + Random.Shared.Next(9) : Random.Shared.Next(10)).ToArray();
            var check = 11 - digits.Select((d, i) => d * weights[i]).Sum() % 11;
            if (check == 10)
            {
                continue;
            }
            return string.Concat(digits) + (check == 11 ? 0 : check);
        }
    }
}
