using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Samskaping.Gateway.Tests;

/// <summary>
/// The limits of a request's head at the gateway (header count and size, target length, header text, slow clients) and
/// the headers on the gateway's own refusals.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class HardeningTests(GatewayFixture fixture)
{
    [Fact]
    public async Task More_request_headers_than_allowed_is_431()
    {
        await using var gateway = fixture.StartGateway(new Dictionary<string, string?> { ["Gateway:MaxRequestHeaderCount"] = "20" });
        using var client = gateway.Client(fixture.Tokens.For("caseworker"));
        using var within = new HttpRequestMessage(HttpMethod.Get, "/api/cases/x");
        using var over = new HttpRequestMessage(HttpMethod.Get, "/api/cases/x");
        for (var i = 0; i < 25; i++)
        {
            over.Headers.Add($"X-Extra-{i}", "1");
        }

        (await client.SendAsync(within)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await client.SendAsync(over)).ShouldBeProblem(HttpStatusCode.RequestHeaderFieldsTooLarge, "headers are too large");
    }

    [Fact]
    public async Task Request_headers_larger_than_allowed_are_431()
    {
        using var client = fixture.Client(fixture.Tokens.For("caseworker"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/cases/x");
        request.Headers.Add("X-Padding", new string('a', 17 * 1024));

        var response = await client.SendAsync(request);

        await response.ShouldBeProblem(HttpStatusCode.RequestHeaderFieldsTooLarge, "headers are too large");
    }

    [Fact]
    public async Task A_path_and_query_over_the_limit_is_414_problem_details_from_the_gateway_itself()
    {
        using var anonymous = fixture.Client();

        var response = await anonymous.GetAsync("/api/cases/x?q=" + new string('x', 9_000));

        await response.ShouldBeProblem(HttpStatusCode.RequestUriTooLong, "too long");
    }

    [Theory]
    [InlineData("\u0001")]
    [InlineData("\u001b[31m")]
    [InlineData("\u007f")]
    public async Task A_header_value_with_a_control_character_is_400_naming_the_header(string control)
    {
        var token = fixture.Tokens.For("caseworker");

        var (head, body) = await SendRaw(fixture.Gateway.Address,
            $"GET /api/cases/x HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer {token}\r\nX-Note: a{control}b\r\nConnection: close\r\n\r\n");

        head.ShouldStartWith("HTTP/1.1 400 ");
        head.ShouldContain("Content-Type: application/problem+json");
        body.ShouldContain("\"X-Note\"");
    }

    [Fact]
    public async Task A_client_that_sends_its_headers_too_slowly_is_cut_off_at_the_configured_timeout()
    {
        await using var gateway = fixture.StartGateway(new Dictionary<string, string?> { ["Gateway:RequestHeadersTimeoutSeconds"] = "1" });
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(gateway.Address.Host, gateway.Address.Port);
        var stream = tcp.GetStream();
        // A request line and one header, then nothing: the blank line that ends the headers never comes.
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /health/live HTTP/1.1\r\nHost: gateway\r\n"));

        // Kestrel's default is 30 s; the configured 1 s (checked on its 1 s heartbeat) must end it well before 15 s.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var buffer = new byte[1024];
        var read = await stream.ReadAsync(buffer, limit.Token);

        var answer = Encoding.ASCII.GetString(buffer, 0, read);
        (read == 0 || answer.StartsWith("HTTP/1.1 408", StringComparison.Ordinal)).ShouldBeTrue($"expected 408 or a closed connection, got: {answer}");
    }

    [Fact]
    public void A_header_limit_out_of_range_stops_the_start_with_a_clear_message()
    {
        using var gateway = new GatewayHost(fixture.Tokens, fixture.Services.Address, new Dictionary<string, string?>
        {
            ["Gateway:RequestHeadersTimeoutSeconds"] = "0",
        });

        var error = Should.Throw<Microsoft.Extensions.Options.OptionsValidationException>(() => gateway.Address);

        error.Message.ShouldContain("RequestHeadersTimeoutSeconds");
    }

    [Fact]
    public async Task The_gateways_own_refusals_carry_the_security_headers_and_no_store()
    {
        using var client = fixture.Client(fixture.Tokens.For("caseworker"));
        using var body = new ByteArrayContent(new byte[GatewayHost.MaxBodyBytes + 1]);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var tooLarge = await client.PostAsync("/api/cases/households", body);
        var proxied = await client.GetAsync("/api/cases/x");

        await tooLarge.ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge, "too large");
        foreach (var response in new[] { tooLarge, proxied })
        {
            response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
            response.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("default-src 'none'");
            response.Headers.CacheControl!.NoStore.ShouldBeTrue("answers with personal data must not be cached");
        }
    }

    /// <summary>Bytes no HTTP client library would send; answers the response head and what followed it.</summary>
    private static async Task<(string Head, string Body)> SendRaw(Uri address, string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request));
        using var answer = new MemoryStream();
        await stream.CopyToAsync(answer);
        var text = Encoding.UTF8.GetString(answer.ToArray());
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return end < 0 ? (text, "") : (text[..end], text[(end + 4)..]);
    }

    [Fact]
    public async Task A_preflight_asking_for_a_header_the_policy_does_not_name_gets_no_permission_for_it()
    {
        await using var gateway = fixture.StartGateway(new Dictionary<string, string?> { ["Gateway:AllowedOrigins:0"] = "https://app.example.no" });
        using var client = gateway.Client();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/cases/households");
        preflight.Headers.Add("Origin", "https://app.example.no");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "x-smuggled");

        var response = await client.SendAsync(preflight);

        // The origin is allowed, the header is not: the browser gets no permission to send it.
        var allowed = response.Headers.TryGetValues("Access-Control-Allow-Headers", out var values) ? values : [];
        allowed.ShouldNotContain(h => h.Contains("x-smuggled", StringComparison.OrdinalIgnoreCase));
    }
}
