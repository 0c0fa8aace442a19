using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Benefits.Feed;

/// <summary>The simulator's Digisos side answers like the real one: it wants the token and the integration headers,
/// and judges what it receives by NAV's schema.</summary>
[Collection(FeedCollection.Name)]
public sealed class SimulatorDigisosTests(FeedSystem system)
{
    private const string Valid = """
        {"version": "1.0.0", "avsender": {"systemnavn": "Test", "systemversjon": "1"},
         "hendelser": [{"type": "soknadsStatus", "hendelsestidspunkt": "2026-01-15T10:00:00.000Z", "status": "MOTTATT"}]}
        """;

    [Fact]
    public async Task Without_the_token_or_the_integration_headers_the_answer_is_401()
    {
        var path = $"/digisos/api/v1/{FeedSystem.FiksOrgId}/ny?sokerFnr=01018512345";
        (await system.Simulator.PostAsync(path, null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var tokenOnly = new HttpRequestMessage(HttpMethod.Post, path);
        tokenOnly.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Token());
        (await system.Simulator.SendAsync(tokenOnly)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var wrongPassword = await Request(path, null);
        wrongPassword.Headers.Remove("IntegrasjonPassord");
        wrongPassword.Headers.Add("IntegrasjonPassord", "not-it");
        (await system.Simulator.SendAsync(wrongPassword)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_valid_document_is_accepted_and_kept_and_an_invalid_one_is_400_naming_the_places()
    {
        var digisosId = await CreateCase();
        using (var ok = await Request($"/digisos/api/v1/{FeedSystem.FiksOrgId}/{digisosId}", Envelope(Valid)))
        {
            (await system.Simulator.SendAsync(ok)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        var invalid = Valid.Replace("10:00:00.000Z", "10:00:00Z", StringComparison.Ordinal).Replace("MOTTATT", "UNDER_BEHANDLING", StringComparison.Ordinal);
        using var bad = await Request($"/digisos/api/v1/{FeedSystem.FiksOrgId}/{digisosId}", Envelope(invalid));
        var answer = await system.Simulator.SendAsync(bad);
        answer.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var paths = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()).ToList();
        paths.ShouldContain("/sak/soker/hendelser/0/hendelsestidspunkt");
        paths.ShouldContain("/sak/soker/hendelser/0");

        var received = await system.Received(digisosId);
        received["receipts"]!.AsArray().Count.ShouldBe(1, "the invalid document is not kept");
    }

    [Fact]
    public async Task A_wrong_envelope_an_unknown_case_and_a_malformed_identity_number_are_refused()
    {
        var digisosId = await CreateCase();
        using (var wrongType = await Request($"/digisos/api/v1/{FeedSystem.FiksOrgId}/{digisosId}", "{\"type\": \"something.else\", \"sak\": {\"soker\": " + Valid + "}}"))
        {
            (await system.Simulator.SendAsync(wrongType)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }
        using (var notJson = await Request($"/digisos/api/v1/{FeedSystem.FiksOrgId}/{digisosId}", "{not json"))
        {
            (await system.Simulator.SendAsync(notJson)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }
        using (var unknown = await Request($"/digisos/api/v1/{FeedSystem.FiksOrgId}/no-such-case", Envelope(Valid)))
        {
            (await system.Simulator.SendAsync(unknown)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }
        using (var otherOrganisation = await Request($"/digisos/api/v1/another-org/{digisosId}", Envelope(Valid)))
        {
            (await system.Simulator.SendAsync(otherOrganisation)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }
        using var malformed = await Request($"/digisos/api/v1/{FeedSystem.FiksOrgId}/ny?sokerFnr=123", null);
        (await system.Simulator.SendAsync(malformed)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    private async Task<string> CreateCase()
    {
        using var create = await Request($"/digisos/api/v1/{FeedSystem.FiksOrgId}/ny?sokerFnr=01018512345", null);
        var response = await system.Simulator.SendAsync(create);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<string>())!;
    }

    private static string Envelope(string document) => "{\"type\": \"no.nav.digisos.digisos.soker.v1\", \"sak\": {\"soker\": " + document + "}}";

    private async Task<HttpRequestMessage> Request(string path, string? body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Token());
        request.Headers.Add("IntegrasjonId", NavSimulatorSettings.IntegrasjonId);
        request.Headers.Add("IntegrasjonPassord", NavSimulatorSettings.IntegrasjonPassord);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        return request;
    }

    private async Task<string> Token()
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
        var response = await system.Simulator.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }
}
