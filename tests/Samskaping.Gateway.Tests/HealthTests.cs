using System.Net;
using System.Text.Json;

namespace Samskaping.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class HealthTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Ready_is_200_when_every_service_is_ready()
    {
        using var client = fixture.Client();

        var response = await client.GetAsync("/health/ready");

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var checks = JsonDocument.Parse(body).RootElement.GetProperty("checks");
        checks.EnumerateObject().Select(c => c.Name).Order().ShouldBe(GatewayHost.ServiceNames.Order());
    }

    [Fact]
    public async Task Live_is_200_without_a_token()
    {
        using var client = fixture.Client();

        (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
