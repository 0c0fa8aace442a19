using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.NavSimulator;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Benefits.Simulator;

/// <summary>
/// With NavSimulator:DataFile set, the simulator keeps its Digisos cases and every accepted document across a
/// restart (a new host on the same file), as a real benefit system does; a line torn by a kill is skipped, a file
/// damaged before its last line stops the start, and the applicant's identity number is never written.
/// </summary>
public sealed class SimulatorDataFileTests : IDisposable
{
    private const string FiksOrgId = NavSimulatorSettings.FiksOrgId;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "samskaping-nav-datafile-" + Guid.NewGuid().ToString("N"));

    private string DataFile => Path.Combine(_folder, "digisos.jsonl");

    [Fact]
    public async Task Cases_and_receipts_survive_a_restart_with_the_same_ids_order_and_documents()
    {
        JsonNode before;
        List<JsonNode> details;
        string first, second;
        await using (var simulator = Start(out var client))
        {
            first = await CreateCase(client);
            second = await CreateCase(client);
            await Send(client, first, Document(1));
            await Send(client, second, Document(1));
            await Send(client, first, Document(2));
            before = (await client.GetFromJsonAsync<JsonNode>("/simulator/digisos"))!;
            details = [await Detail(client, first), await Detail(client, second)];
        }

        await using (var restarted = Start(out var client))
        {
            var after = (await client.GetFromJsonAsync<JsonNode>("/simulator/digisos"))!;
            JsonNode.DeepEquals(after, before).ShouldBeTrue($"before: {before.ToJsonString()}\nafter: {after.ToJsonString()}");
            after.AsArray().Select(c => (string?)c!["digisosId"]).ShouldBe([first, second]);
            var firstAfter = await Detail(client, first);
            JsonNode.DeepEquals(firstAfter, details[0]).ShouldBeTrue(firstAfter.ToJsonString());
            JsonNode.DeepEquals(await Detail(client, second), details[1]).ShouldBeTrue();
            firstAfter["receipts"]!.AsArray().Select(r => (long)r!["sequence"]!).ShouldBe([1L, 3L]);
            firstAfter["receipts"]!.AsArray().Select(r => (int)r!["events"]!).ShouldBe([1, 2]);

            // The numbering goes on where it stopped, and what is accepted now is kept as well.
            await Send(client, second, Document(3));
        }

        await using (var again = Start(out var client))
        {
            var receipts = (await Detail(client, second))["receipts"]!.AsArray();
            receipts.Select(r => (long)r!["sequence"]!).ShouldBe([2L, 4L]);
            JsonNode.DeepEquals(receipts[1]!["document"], JsonNode.Parse(Document(3))).ShouldBeTrue();
        }
    }

    [Fact]
    public async Task A_torn_last_line_is_skipped_with_a_warning_and_cut_off()
    {
        string digisosId;
        await using (var simulator = Start(out var client))
        {
            digisosId = await CreateCase(client);
            await Send(client, digisosId, Document(1));
        }
        // A kill in the middle of writing the next receipt: half a line, no line end.
        await File.AppendAllTextAsync(DataFile, "{\"kind\":\"receipt\",\"digisosId\":\"" + digisosId + "\",\"at\":\"2026-");

        var logs = new CapturedLogs();
        await using (var restarted = Start(out var client, logs))
        {
            var receipts = (await Detail(client, digisosId))["receipts"]!.AsArray();
            receipts.Count.ShouldBe(1);
            logs.Lines.ShouldContain(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("torn line (line 3", StringComparison.Ordinal));
            await Send(client, digisosId, Document(2));
        }

        // The torn bytes were cut off: the record written after them starts a line of its own, so the file reads back whole.
        (await File.ReadAllTextAsync(DataFile)).ShouldNotContain("\"at\":\"2026-{");
        await using (var again = Start(out var client))
        {
            (await Detail(client, digisosId))["receipts"]!.AsArray().Select(r => (int)r!["events"]!).ShouldBe([1, 2]);
        }
    }

    [Theory]
    [InlineData("not json at all", "line 2: not a record")]
    [InlineData("{\"kind\":\"receipt\",\"digisosId\":\"no-such-case\",\"at\":\"2026-01-15T10:00:00+00:00\",\"sequence\":1,\"events\":1,\"document\":{}}", "line 2: a document for case no-such-case, which was never created")]
    [InlineData("{\"kind\":\"something\",\"digisosId\":\"x\",\"at\":\"2026-01-15T10:00:00+00:00\"}", "line 2: a record of kind 'something'")]
    public async Task A_bad_line_before_the_last_stops_the_start_with_a_message_naming_the_file_and_line(string bad, string expected)
    {
        await using (var simulator = Start(out var client))
        {
            await Send(client, await CreateCase(client), Document(1));
        }
        var lines = (await File.ReadAllLinesAsync(DataFile)).ToList();
        lines.Insert(1, bad);
        await File.WriteAllTextAsync(DataFile, string.Join('\n', lines) + "\n");

        await using var broken = new ServiceFactory<NavSimulatorMarker>(Settings(), realPort: false);
        var failure = Should.Throw<Exception>(() => broken.Start());
        var messages = Messages(failure);
        messages.ShouldContain(m => m.Contains(DataFile, StringComparison.Ordinal) && m.Contains(expected, StringComparison.Ordinal), string.Join("\n", messages));
    }

    [Fact]
    public async Task The_file_never_contains_the_applicants_identity_number()
    {
        const string identityNumber = "24068712345";
        await using (var simulator = Start(out var client))
        {
            var digisosId = await CreateCase(client, identityNumber);
            await Send(client, digisosId, Document(2));
        }
        var text = await File.ReadAllTextAsync(DataFile);
        text.ShouldContain("\"kind\":\"case\"");
        text.ShouldContain("\"kind\":\"receipt\"");
        text.ShouldNotContain(identityNumber);
        text.ShouldNotContain("sokerFnr", Case.Insensitive);
    }

    private ServiceFactory<NavSimulatorMarker> Start(out HttpClient client, CapturedLogs? logs = null)
    {
        var factory = new ServiceFactory<NavSimulatorMarker>(Settings(), realPort: false, logs: logs);
        factory.Start();
        client = factory.CreateClient();
        return factory;
    }

    private Dictionary<string, string?> Settings()
    {
        var settings = NavSimulatorSettings.Simulator();
        settings["NavSimulator:DataFile"] = DataFile;
        return settings;
    }

    private static List<string> Messages(Exception e)
    {
        var messages = new List<string>();
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            messages.Add(current.Message);
            if (current is AggregateException aggregate)
            {
                messages.AddRange(aggregate.InnerExceptions.SelectMany(Messages));
            }
        }
        return messages;
    }

    /// <summary>A valid digisos-soker document with <paramref name="events"/> events.</summary>
    private static string Document(int events)
    {
        var hendelser = Enumerable.Range(0, events).Select(i =>
            $$"""{"type": "soknadsStatus", "hendelsestidspunkt": "2026-01-15T10:0{{i}}:00.000Z", "status": "{{(i == 0 ? "MOTTATT" : "UNDER_BEHANDLING")}}"}""");
        return $$"""{"version": "1.0.0", "avsender": {"systemnavn": "Test", "systemversjon": "1"}, "hendelser": [{{string.Join(", ", hendelser)}}]}""";
    }

    private static async Task<string> CreateCase(HttpClient client, string identityNumber = "01018512345")
    {
        using var request = await Request(client, $"/digisos/api/v1/{FiksOrgId}/ny?sokerFnr={identityNumber}", null);
        var response = await client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<string>())!;
    }

    private static async Task Send(HttpClient client, string digisosId, string document)
    {
        using var request = await Request(client, $"/digisos/api/v1/{FiksOrgId}/{digisosId}",
            "{\"type\": \"no.nav.digisos.digisos.soker.v1\", \"sak\": {\"soker\": " + document + "}}");
        var response = await client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonNode> Detail(HttpClient client, string digisosId) =>
        (await client.GetFromJsonAsync<JsonNode>($"/simulator/digisos/{digisosId}"))!;

    private static async Task<HttpRequestMessage> Request(HttpClient client, string path, string? body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Token(client));
        request.Headers.Add("IntegrasjonId", NavSimulatorSettings.IntegrasjonId);
        request.Headers.Add("IntegrasjonPassord", NavSimulatorSettings.IntegrasjonPassord);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        return request;
    }

    private static async Task<string> Token(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = NavSimulatorSettings.ClientId,
                ["client_secret"] = NavSimulatorSettings.ClientSecret,
            }),
        };
        var response = await client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
