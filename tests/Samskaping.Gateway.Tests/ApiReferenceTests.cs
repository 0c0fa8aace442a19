using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Samskaping.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed partial class ApiReferenceTests(GatewayFixture fixture)
{
    [Fact]
    public async Task The_api_reference_is_an_html_page_for_anonymous_callers_over_every_service()
    {
        using var client = fixture.Client();

        var response = await client.GetAsync("/docs");

        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/html");
        foreach (var service in GatewayHost.ServiceNames)
        {
            html.ShouldContain($"openapi/{service}.json");
        }
    }

    [Fact]
    public async Task The_api_reference_scripts_are_allowed_by_a_per_request_nonce()
    {
        using var client = fixture.Client();

        var response = await client.GetAsync("/docs/");

        var html = await response.Content.ReadAsStringAsync();
        var nonce = Nonce().Match(html).Groups[1].Value;
        nonce.ShouldNotBeNullOrEmpty();
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldContain($"'nonce-{nonce}'");
        (await client.GetAsync("/docs/scalar.js")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_service_openapi_document_is_proxied_anonymously()
    {
        using var client = fixture.Client();

        var response = await client.GetAsync("/openapi/cases.json");

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        JsonDocument.Parse(body).RootElement.GetProperty("info").GetProperty("title").GetString().ShouldBe(FakeService.DocumentTitle);
    }

    [GeneratedRegex("""<script[^>]*nonce="([^"]+)"[^>]*>""")]
    private static partial Regex Nonce();
}
