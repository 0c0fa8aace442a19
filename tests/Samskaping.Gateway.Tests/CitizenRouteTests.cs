using System.Net;
using Samskaping.DevTokens;

namespace Samskaping.Gateway.Tests;

/// <summary>
/// The gateway keeps citizens and staff apart (docs/architecture.md §8): a citizen's token reaches the citizen
/// endpoints and nothing else, a worker's never reaches them, and the per-user rate limit counts a citizen, who has no
/// sector, by their own subject.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class CitizenRouteTests(GatewayFixture fixture)
{
    private const string Number = "01018510002";

    [Fact]
    public async Task A_citizen_reaches_the_citizen_endpoints_only()
    {
        using var citizen = fixture.Client(Citizen(fixture.Tokens, "innbygger-a"));

        (await (await citizen.GetAsync("/api/cases/citizen/cases")).ShouldBeEcho()).Path.ShouldBe("/api/cases/citizen/cases");
        foreach (var path in new[] { "/api/cases/x", "/api/coordination/x", "/api/grants/x", "/api/grants/reports/funds", "/api/outcomes/x", "/api/benefits/x" })
        {
            await (await citizen.GetAsync(path)).ShouldBeProblem(HttpStatusCode.Forbidden, "role");
        }
    }

    [Theory]
    [InlineData("caseworker", "oppvekst")]
    [InlineData("privacy-officer", "oppvekst")]
    [InlineData("admin", "")]
    public async Task A_worker_is_stopped_at_the_citizen_endpoints(string role, string sector)
    {
        using var worker = fixture.Client(fixture.Tokens.For(role, sector));

        await (await worker.GetAsync("/api/cases/citizen/cases")).ShouldBeProblem(HttpStatusCode.Forbidden, "role");
    }

    [Fact]
    public async Task A_citizen_at_a_level_below_substantial_is_stopped()
    {
        using var low = fixture.Client(Citizen(fixture.Tokens, "innbygger-low", "idporten-loa-low"));

        await (await low.GetAsync("/api/cases/citizen/cases")).ShouldBeProblem(HttpStatusCode.Forbidden, "role");
    }

    [Fact]
    public async Task The_rate_limit_counts_each_citizen_by_their_subject()
    {
        await using var gateway = fixture.StartGateway(new Dictionary<string, string?>
        {
            ["RateLimiting:BurstLimit"] = "2",
            ["RateLimiting:PermitsPerSecond"] = "1",
        });
        using var busy = gateway.Client(Citizen(fixture.Tokens, "innbygger-busy"));
        using var other = gateway.Client(Citizen(fixture.Tokens, "innbygger-other"));

        HttpResponseMessage? refused = null;
        for (var i = 0; i < 20 && refused is null; i++)
        {
            var response = await busy.GetAsync("/api/cases/citizen/cases");
            refused = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        refused.ShouldNotBeNull("the per-user limit never answered 429 to a citizen");
        (await other.GetAsync("/api/cases/citizen/cases")).StatusCode.ShouldBe(HttpStatusCode.OK, "another citizen has a bucket of their own");
    }

    private static string Citizen(Tokens tokens, string subject, string acr = "idporten-loa-substantial") =>
        new DevToken(tokens.SigningKey, Tokens.Issuer, Tokens.Audience, "", "")
        {
            Subject = subject,
            Pid = Number,
            Acr = acr,
            NotBefore = DateTimeOffset.UtcNow.AddMinutes(-1),
            Expires = DateTimeOffset.UtcNow.AddMinutes(10),
        }.Mint();
}
