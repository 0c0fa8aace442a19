using System.Net;
using System.Net.Http.Headers;

namespace Samskaping.Gateway.Tests;

/// <summary>
/// The benefit system's inbound notifications carry its own machine token, which the gateway cannot validate: that one
/// path passes without the staff policy (the benefits service checks the machine credential), every other benefits path stays staff-only.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class BenefitsInboundRouteTests(GatewayFixture fixture)
{
    [Fact]
    public async Task An_inbound_notification_passes_the_gateway_with_the_senders_token_untouched()
    {
        using var client = fixture.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/benefits/inbound") { Content = new StringContent("{}") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "a-machine-token-the-gateway-does-not-know");

        var echo = await (await client.SendAsync(request)).ShouldBeEcho();

        echo.Path.ShouldBe("/api/benefits/inbound");
        echo.Method.ShouldBe("POST");
        echo.Header("Authorization").ShouldBe("Bearer a-machine-token-the-gateway-does-not-know");
    }

    [Theory]
    [InlineData("GET", "/api/benefits/inbound")]
    [InlineData("POST", "/api/benefits/inbound/other")]
    [InlineData("POST", "/api/benefits/cases/x")]
    [InlineData("GET", "/api/benefits/households/x/benefits")]
    public async Task Every_other_benefits_path_still_needs_a_staff_token(string method, string path)
    {
        using var client = fixture.Client();

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}") });

        await response.ShouldBeProblem(HttpStatusCode.Unauthorized, "token");
    }
}
