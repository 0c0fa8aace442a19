using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace Samskaping.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed partial class ForwardingTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_valid_token_is_forwarded_with_the_authorization_and_forwarding_headers()
    {
        var token = fixture.Tokens.For("caseworker");
        using var client = fixture.Client(token);

        var echo = await (await client.GetAsync("/api/cases/households/42?include=members")).ShouldBeEcho();

        echo.Path.ShouldBe("/api/cases/households/42");
        echo.Query.ShouldBe("?include=members");
        echo.Header("Authorization").ShouldBe($"Bearer {token}");
        echo.Header("X-Forwarded-For").ShouldBe("127.0.0.1");
        echo.Header("X-Forwarded-Proto").ShouldBe("http");
        echo.Header("X-Forwarded-Host").ShouldBe(fixture.Gateway.Address.Authority);
    }

    [Fact]
    public async Task The_bare_service_path_is_forwarded_unchanged()
    {
        using var client = fixture.Client(fixture.Tokens.For("caseworker"));

        var echo = await (await client.GetAsync("/api/grants")).ShouldBeEcho();

        echo.Path.ShouldBe("/api/grants");
    }

    [Fact]
    public async Task A_header_value_beyond_ascii_reaches_the_service_as_sent()
    {
        // A client that sends header values as UTF-8, as browsers and curl do.
        using var client = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 })
        {
            BaseAddress = fixture.Gateway.Address,
        };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/cases/x");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Tokens.For("caseworker"));
        request.Headers.TryAddWithoutValidation("X-Note", "Åse Kjærnes-Øvrebø ✓ 🙂");

        var echo = await (await client.SendAsync(request)).ShouldBeEcho();

        echo.Header("X-Note").ShouldBe("Åse Kjærnes-Øvrebø ✓ 🙂");
    }

    [Fact]
    public async Task A_services_own_error_passes_through_unchanged()
    {
        using var client = fixture.Client(fixture.Tokens.For("caseworker"));

        var response = await client.GetAsync("/api/cases/empty-not-found");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldBeEmpty("the gateway must not dress up a service's answer");
    }

    [Fact]
    public async Task A_trace_starts_at_the_gateway_and_continues_into_the_service()
    {
        using var client = fixture.Client(fixture.Tokens.For("caseworker"));

        var echo = await (await client.GetAsync("/api/cases/x")).ShouldBeEcho();

        echo.Header("traceparent").ShouldNotBeNull();
        ActivityContext.TryParse(echo.Header("traceparent"), null, out _).ShouldBeTrue();
    }

    [Fact]
    public async Task The_callers_trace_continues_through_the_gateway_into_the_service()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        using var client = fixture.Client(fixture.Tokens.For("caseworker"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/coordination/groups");
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpan}-01");

        var echo = await (await client.SendAsync(request)).ShouldBeEcho();

        ActivityContext.TryParse(echo.Header("traceparent"), null, out var received).ShouldBeTrue();
        received.TraceId.ShouldBe(traceId);
        received.SpanId.ShouldNotBe(callerSpan, "the gateway's own span is the service's parent");
    }

    [Fact]
    public async Task The_callers_correlation_id_reaches_the_service_and_comes_back()
    {
        using var client = fixture.Client(fixture.Tokens.For("caseworker"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/cases/x");
        request.Headers.Add("X-Correlation-Id", "support-ticket_42");

        var response = await client.SendAsync(request);

        (await response.ShouldBeEcho()).Header("X-Correlation-Id").ShouldBe("support-ticket_42");
        response.Headers.GetValues("X-Correlation-Id").ShouldBe(["support-ticket_42"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("has spaces")]
    [InlineData("semi;colon")]
    [InlineData("a-correlation-id-that-is-much-too-long-to-be-kept-by-the-gateway-x")]
    public async Task A_missing_or_odd_correlation_id_is_replaced_by_a_new_one(string? sent)
    {
        using var client = fixture.Client(fixture.Tokens.For("caseworker"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/cases/x");
        if (sent is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Correlation-Id", sent);
        }

        var response = await client.SendAsync(request);

        var echoed = (await response.ShouldBeEcho()).Header("X-Correlation-Id");
        echoed.ShouldNotBeNull();
        echoed.ShouldNotBe(sent);
        SaneId().IsMatch(echoed).ShouldBeTrue(echoed);
        response.Headers.GetValues("X-Correlation-Id").ShouldBe([echoed]);
    }

    [Fact]
    public async Task An_anonymous_refusal_still_carries_a_correlation_id()
    {
        using var client = fixture.Client();

        var response = await client.GetAsync("/api/cases/x");

        response.Headers.GetValues("X-Correlation-Id").Single().ShouldNotBeNullOrWhiteSpace();
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex SaneId();
}
