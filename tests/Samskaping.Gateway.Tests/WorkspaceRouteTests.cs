using System.Net;

namespace Samskaping.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class WorkspaceRouteTests(GatewayFixture fixture)
{
    [Fact]
    public async Task The_root_is_the_workspace_without_a_token_and_keeps_the_workspace_policy()
    {
        using var client = fixture.Client();

        var response = await client.GetAsync("/");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("<title>Workspace</title>");
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldBe(FakeService.WorkspacePolicy);
        response.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");
    }

    [Fact]
    public async Task The_gateway_is_ready_for_the_api_while_the_workspace_is_down()
    {
        await using var gateway = fixture.StartGateway(down: "workspace");
        using var client = gateway.Client();

        var response = await client.GetAsync("/health/ready");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_api_route_wins_over_the_workspace_catch_all()
    {
        using var client = fixture.Client(fixture.Tokens.For("caseworker"));

        var response = await client.GetAsync("/api/cases/123");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("default-src 'none'");
    }

    [Fact]
    public async Task Without_a_workspace_the_root_is_the_gateways_own_answer_not_a_bad_gateway()
    {
        await using var gateway = fixture.StartGateway(new Dictionary<string, string?> { ["Gateway:WorkspaceAddress"] = "" });
        using var anonymous = gateway.Client();
        using var signedIn = gateway.Client(fixture.Tokens.For("caseworker"));

        var withoutToken = await anonymous.GetAsync("/");
        var withToken = await signedIn.GetAsync("/mitt-arbeid");

        withoutToken.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        withToken.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        withToken.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await signedIn.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
