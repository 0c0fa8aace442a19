using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;

namespace Samskaping.Chaos.Scenarios;

/// <summary>nav-outage's check of what the simulator holds afterwards, by its own API.</summary>
internal sealed partial class NavOutage
{
    /// <summary>
    /// What the simulator holds, by its own API: per feed, the last receipt is benefits' current document and the
    /// receipts' event counts never go down; every accepted grant is in its case's latest document; Digisos cases
    /// benefits never recorded (an answer to …/ny lost in the kill) are counted.
    /// </summary>
    private static async Task SimulatorHoldsLatest(ScenarioRun run, HttpClient inspect, Workload load)
    {
        await using var benefits = run.Infrastructure.Connect(run.Databases["benefits"]);
        var feeds = (await benefits.QueryAsync<(Guid CaseId, int Version, string Document, string? DigisosId)>(
            "SELECT case_id, version, document::text, digisos_id FROM benefits.feeds ORDER BY case_id")).ToList();
        await using var grants = run.Infrastructure.Connect(run.Databases["grants"]);
        var caseOf = (await grants.QueryAsync<(Guid Id, Guid CaseId)>("SELECT id, case_id FROM grants.grants")).ToDictionary(g => g.Id, g => g.CaseId);

        var latestByCase = new Dictionary<Guid, JsonNode?>();
        int unknownOnSimulator = 0, different = 0, receipts = 0, decreasing = 0, resent = 0;
        var examples = new List<string>();
        foreach (var feed in feeds)
        {
            if (feed.DigisosId is null)
            {
                unknownOnSimulator++;
                continue;
            }
            using var response = await inspect.GetAsync(new Uri($"simulator/digisos/{feed.DigisosId}", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                unknownOnSimulator++;
                Example(examples, $"case {feed.CaseId}: Digisos case {feed.DigisosId} unknown to the simulator");
                continue;
            }
            response.EnsureSuccessStatusCode();
            var detail = (await response.Content.ReadFromJsonAsync<JsonNode>())!;
            var latest = detail["latest"];
            latestByCase[feed.CaseId] = latest;
            if (!JsonNode.DeepEquals(latest, JsonNode.Parse(feed.Document)))
            {
                different++;
                Example(examples, $"case {feed.CaseId}: the simulator's last receipt is not version {feed.Version}");
            }
            var counts = detail["receipts"]!.AsArray().Select(r => r!["events"]!.GetValue<int>()).ToList();
            receipts += counts.Count;
            for (var i = 1; i < counts.Count; i++)
            {
                decreasing += counts[i] < counts[i - 1] ? 1 : 0;
                resent += counts[i] == counts[i - 1] ? 1 : 0;
            }
        }
        run.Check("for every feed the simulator's last receipt equals benefits' current document (JSON deep equality)",
            unknownOnSimulator == 0 && different == 0 && feeds.Count > 0,
            $"{feeds.Count} feeds; {unknownOnSimulator} without a Digisos case the simulator knows, {different} whose last receipt differs{ExampleText(examples)}");
        run.Check("no older document arrived after a newer one (event counts never decrease across a case's receipts)", decreasing == 0,
            $"{receipts} receipts over {latestByCase.Count} Digisos cases; {decreasing} decreases; {resent} receipts with as many events as the one before (a resent or same-size version)");

        int grantsMissing = 0, paymentsMissing = 0;
        var missingExamples = new List<string>();
        foreach (var grant in load.AcceptedGrants.Keys)
        {
            var events = caseOf.TryGetValue(grant, out var caseId) && latestByCase.TryGetValue(caseId, out var latest) ? latest?["hendelser"]?.AsArray() : null;
            var id = grant.ToString();
            if (events is null || !events.Any(e => (string?)e?["type"] == "saksStatus" && (string?)e["referanse"] == id))
            {
                grantsMissing++;
                Example(missingExamples, $"grant {grant}: no saksStatus");
            }
            if (load.AcceptedApprovals.ContainsKey(grant) && (events is null || !events.Any(e => (string?)e?["type"] == "utbetaling" && (string?)e["saksreferanse"] == id)))
            {
                paymentsMissing++;
                Example(missingExamples, $"approved grant {grant}: no utbetaling");
            }
        }
        run.Check("every accepted grant is in its case's latest document on the simulator (saksStatus referanse; approved: utbetaling saksreferanse)",
            grantsMissing == 0 && paymentsMissing == 0,
            $"{load.AcceptedGrants.Count} accepted grants, {grantsMissing} without their saksStatus; {load.AcceptedApprovals.Count} accepted approvals, {paymentsMissing} without their utbetaling{ExampleText(missingExamples)}");

        var known = feeds.Where(f => f.DigisosId is not null).Select(f => f.DigisosId!).ToHashSet(StringComparer.Ordinal);
        var onSimulator = (await inspect.GetFromJsonAsync<JsonArray>(new Uri("simulator/digisos", UriKind.Relative)))!;
        var orphans = onSimulator.Count(c => !known.Contains((string)c!["digisosId"]!));
        var orphanDocuments = onSimulator.Where(c => !known.Contains((string)c!["digisosId"]!)).Sum(c => (int)c!["received"]!);
        // A known limitation, not a failure: a …/ny answered (and kept) just as the simulator died never reached
        // benefits, which created another. Such a case never receives a document, so no delivery goes astray.
        run.Check("Digisos cases on the simulator that benefits never recorded (a lost …/ny answer; counted, not a failure unless one received a document)",
            orphanDocuments == 0,
            $"{onSimulator.Count} Digisos cases on the simulator, {known.Count} recorded by benefits, {orphans} never recorded, holding {orphanDocuments} documents");
    }

    /// <summary>One case of the simulator's list (<c>GET /simulator/digisos</c>).</summary>
    private sealed record SimulatorCase(string DigisosId, string FiksOrgId, DateTimeOffset CreatedAt, int Received);

    private static void Example(List<string> examples, string text)
    {
        if (examples.Count < 3)
        {
            examples.Add(text);
        }
    }

    private static string ExampleText(List<string> examples) => examples.Count == 0 ? "" : $"; e.g. {string.Join("; ", examples)}";
}
