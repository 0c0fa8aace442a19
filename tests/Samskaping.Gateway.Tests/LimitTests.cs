using System.Net;
using System.Net.Http.Headers;

namespace Samskaping.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class LimitTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Too_many_requests_from_one_user_are_429_problem_details_with_retry_after()
    {
        await using var gateway = fixture.StartGateway(new Dictionary<string, string?>
        {
            ["RateLimiting:BurstLimit"] = "2",
            ["RateLimiting:PermitsPerSecond"] = "1",
        });
        using var busy = gateway.Client(fixture.Tokens.For("caseworker", subject: "busy-worker"));
        using var other = gateway.Client(fixture.Tokens.For("caseworker", subject: "other-worker"));

        // The bucket refills one token a second, so a handful of quick requests must run it dry.
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 20 && refused is null; i++)
        {
            var response = await busy.GetAsync("/api/cases/x");
            refused = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        refused.ShouldNotBeNull("the per-user limit never answered 429");
        await refused.ShouldBeProblem(HttpStatusCode.TooManyRequests, "Too many requests");
        int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(0);
        (await other.GetAsync("/api/cases/x")).StatusCode.ShouldBe(HttpStatusCode.OK, "the limit is per user, not global");
    }

    [Fact]
    public async Task A_body_declared_larger_than_the_limit_is_413_problem_details()
    {
        using var client = fixture.Client(fixture.Tokens.For("caseworker"));
        using var body = new ByteArrayContent(new byte[GatewayHost.MaxBodyBytes + 1]);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await client.PostAsync("/api/cases/households", body);

        var problem = await response.ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge, "too large");
        problem.GetProperty("detail").GetString()!.ShouldContain($"{GatewayHost.MaxBodyBytes} bytes");
    }

    [Fact]
    public async Task A_chunked_body_that_grows_past_the_limit_is_413_problem_details()
    {
        using var client = fixture.Client(fixture.Tokens.For("caseworker"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases/households")
        {
            Content = new ChunkedContent(GatewayHost.MaxBodyBytes * 4),
        };
        request.Headers.TransferEncodingChunked = true;

        var response = await client.SendAsync(request);

        await response.ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge, "too large");
    }

    [Fact]
    public async Task A_body_of_exactly_the_limit_reaches_the_service_whole()
    {
        using var client = fixture.Client(fixture.Tokens.For("caseworker"));
        using var body = new ByteArrayContent(new byte[GatewayHost.MaxBodyBytes]);

        var echo = await (await client.PostAsync("/api/cases/households", body)).ShouldBeEcho();

        echo.BodyLength.ShouldBe(GatewayHost.MaxBodyBytes);
    }

    [Fact]
    public async Task A_chunked_body_within_the_limit_reaches_the_service_whole()
    {
        // Kestrel counts the chunk framing towards the limit too, so stay clear of the edge.
        const int length = GatewayHost.MaxBodyBytes / 2;
        using var client = fixture.Client(fixture.Tokens.For("caseworker"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases/households") { Content = new ChunkedContent(length) };
        request.Headers.TransferEncodingChunked = true;

        var echo = await (await client.SendAsync(request)).ShouldBeEcho();

        echo.BodyLength.ShouldBe(length);
    }

    /// <summary>A body of unknown length, sent in small chunks, so only reading it shows how big it is.</summary>
    private sealed class ChunkedContent(int length) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new byte[512];
            for (var sent = 0; sent < length; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk.AsMemory(0, Math.Min(chunk.Length, length - sent)));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
