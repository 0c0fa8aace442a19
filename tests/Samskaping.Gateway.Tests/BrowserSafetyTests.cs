using System.Net;

namespace Samskaping.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class BrowserSafetyTests(GatewayFixture fixture)
{
    [Theory]
    [InlineData("/health/live", false)]
    [InlineData("/api/cases/x", false)]
    [InlineData("/api/cases/x", true)]
    [InlineData("/api/unknown", true)]
    public async Task Every_answer_carries_the_security_headers(string path, bool signedIn)
    {
        using var client = fixture.Client(signedIn ? fixture.Tokens.For("caseworker") : null);

        var response = await client.GetAsync(path);

        response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        response.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");
        response.Headers.GetValues("Referrer-Policy").Single().ShouldBe("no-referrer");
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("default-src 'none'");
        response.Headers.Contains("Server").ShouldBeFalse();
    }

    [Fact]
    public async Task Cors_is_closed_when_no_origin_is_configured()
    {
        using var client = fixture.Client();

        var response = await client.SendAsync(Preflight("https://app.example.no"));

        response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    [Fact]
    public async Task Cors_lets_a_configured_origin_call_the_api_and_no_other()
    {
        await using var gateway = fixture.StartGateway(new Dictionary<string, string?>
        {
            ["Gateway:AllowedOrigins:0"] = "https://app.example.no",
        });
        using var client = gateway.Client();

        var allowed = await client.SendAsync(Preflight("https://app.example.no"));
        var other = await client.SendAsync(Preflight("https://elsewhere.example"));

        allowed.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        allowed.Headers.GetValues("Access-Control-Allow-Origin").Single().ShouldBe("https://app.example.no");
        other.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    [Fact]
    public void An_invalid_gateway_setting_stops_the_start_with_a_clear_message()
    {
        using var gateway = new GatewayHost(fixture.Tokens, fixture.Services.Address, new Dictionary<string, string?>
        {
            ["Gateway:MaxRequestBodyBytes"] = "0",
        });

        var error = Should.Throw<Microsoft.Extensions.Options.OptionsValidationException>(() => gateway.Address);

        error.Message.ShouldContain("MaxRequestBodyBytes");
    }

    [Theory]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8")]
    [InlineData("text/html")]
    [InlineData("application/xml")]
    [InlineData("image/png")]
    public async Task The_gateways_own_refusals_are_problem_details_whatever_the_browser_accepts(string accept)
    {
        await using var gateway = fixture.StartGateway(new Dictionary<string, string?>
        {
            ["RateLimiting:BurstLimit"] = "1",
            ["RateLimiting:PermitsPerSecond"] = "1",
        });
        using var anonymous = gateway.Client();
        using var signedIn = gateway.Client(fixture.Tokens.For("caseworker", subject: "browser-" + Guid.NewGuid()));
        anonymous.DefaultRequestHeaders.TryAddWithoutValidation("Accept", accept);
        signedIn.DefaultRequestHeaders.TryAddWithoutValidation("Accept", accept);

        await (await anonymous.GetAsync("/api/cases/x")).ShouldBeProblem(HttpStatusCode.Unauthorized, "token");
        await (await signedIn.GetAsync("/api/unknown")).ShouldBeProblem(HttpStatusCode.NotFound, "No service");
        await (await signedIn.GetAsync("/api/cases/x?q=a%00b")).ShouldBeProblem(HttpStatusCode.BadRequest, "could not be read");
        await (await signedIn.GetAsync("/api/cases/x?q=" + new string('x', 8_100))).ShouldBeProblem(HttpStatusCode.RequestUriTooLong, "too long");
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 20 && refused is null; i++)
        {
            var response = await signedIn.GetAsync("/api/cases/x");
            refused = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }
        refused.ShouldNotBeNull("the per-user limit never answered 429");
        await refused.ShouldBeProblem(HttpStatusCode.TooManyRequests, "Too many requests");
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/cases/households");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }
}
