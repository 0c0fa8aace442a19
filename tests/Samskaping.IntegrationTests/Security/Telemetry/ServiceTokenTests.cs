using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Security.Telemetry;

/// <summary>
/// No trust in the network: every service, called directly and not through the gateway, checks a token's signature,
/// issuer, audience and lifetime with the same 30 s clock skew, and refuses alg "none" (ServiceDefaults).
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class ServiceTokenTests(TelemetrySystem system)
{
    private static readonly Dictionary<string, string> Paths = new()
    {
        ["cases"] = $"/api/cases/{Guid.Empty}",
        ["coordination"] = $"/api/coordination/cases/{Guid.Empty}",
        ["grants"] = $"/api/grants/cases/{Guid.Empty}",
        ["outcomes"] = $"/api/outcomes/cases/{Guid.Empty}/schedule",
        ["benefits"] = $"/api/benefits/cases/{Guid.Empty}",
    };

    public static TheoryData<string> Services => new() { "cases", "coordination", "grants", "outcomes", "benefits" };

    [Theory]
    [MemberData(nameof(Services))]
    public async Task A_service_called_directly_refuses_every_bad_token_and_accepts_a_good_one(string service)
    {
        var bad = new Dictionary<string, string>
        {
            ["expired 31 s ago"] = Tokens.For("oppvekst", "caseworker", expires: DateTime.UtcNow.AddSeconds(-31)),
            ["another audience"] = Tokens.For("oppvekst", "caseworker", audience: "someone-else"),
            ["another issuer"] = Tokens.For("oppvekst", "caseworker", issuer: "https://evil.example"),
            ["another key"] = Tokens.For("oppvekst", "caseworker", signingKey: Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))),
            ["alg none"] = Unsigned(),
        };
        using var client = new HttpClient { BaseAddress = system.Addresses[service] };

        foreach (var (what, token) in bad)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Paths[service]);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var response = await client.SendAsync(request);
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"{service}, token {what}");
            response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", $"{service}, token {what}");
        }

        using var good = new HttpRequestMessage(HttpMethod.Get, Paths[service]);
        good.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For("oppvekst", "caseworker", expires: DateTime.UtcNow.AddSeconds(-5)));
        // Expired 5 s ago is within the skew: the caller is known, and the unknown case is a plain 404.
        (await client.SendAsync(good)).StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.OK);
    }

    private static string Unsigned()
    {
        static string Part(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
        return Part("""{"alg":"none","typ":"JWT"}""") + "." + Part($$"""{"iss":"{{TestEnvironment.Issuer}}","aud":"{{TestEnvironment.Audience}}","sub":"mallory","role":"admin","sector":"oppvekst","exp":{{exp}}}""") + ".";
    }
}
