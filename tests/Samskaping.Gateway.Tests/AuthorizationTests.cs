using System.Net;

namespace Samskaping.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class AuthorizationTests(GatewayFixture fixture)
{
    [Fact]
    public async Task An_analyst_asking_for_cases_is_403_problem_details()
    {
        using var client = fixture.Client(fixture.Tokens.For("analyst"));

        var response = await client.GetAsync("/api/cases/households");

        var problem = await response.ShouldBeProblem(HttpStatusCode.Forbidden, "role");
        problem.GetProperty("detail").GetString()!.ShouldContain("Analysts see aggregated outcomes only");
    }

    [Theory]
    [InlineData("caseworker", "oppvekst", "/api/cases/x")]
    [InlineData("coordinator", "helse-velferd", "/api/coordination/x")]
    [InlineData("grant-approver", "kultur", "/api/grants/x")]
    [InlineData("caseworker", "nav", "/api/outcomes/x")]
    [InlineData("analyst", "", "/api/outcomes/reports")]
    [InlineData("admin", "", "/api/grants/funds")]
    [InlineData("admin", "", "/api/benefits/feed")]
    [InlineData("admin", "", "/api/cases/admin/messaging/error-queue")]
    [InlineData("admin", "", "/api/coordination/admin/messaging/actions")]
    [InlineData("admin", "", "/api/grants/admin/messaging/outbox/parked")]
    [InlineData("admin", "", "/api/outcomes/admin/messaging/error-queue")]
    [InlineData("admin", "", "/api/benefits/admin/messaging/error-queue")]
    public async Task A_role_is_let_through_to_the_services_it_works_with(string role, string sector, string path)
    {
        using var client = fixture.Client(fixture.Tokens.For(role, sector));

        var response = await client.GetAsync(path);

        (await response.ShouldBeEcho()).Path.ShouldBe(path);
    }

    [Theory]
    [InlineData("analyst", "oppvekst", "/api/coordination/x")]
    [InlineData("analyst", "oppvekst", "/api/grants/x")]
    [InlineData("admin", "", "/api/cases/x")]
    [InlineData("admin", "", "/api/outcomes/x")]
    [InlineData("caseworker", "", "/api/cases/x")]
    [InlineData("caseworker", "not-a-sector", "/api/grants/x")]
    [InlineData("family", "oppvekst", "/api/cases/x")]
    [InlineData("caseworker", "oppvekst", "/api/cases/admin/messaging/error-queue")]
    [InlineData("grant-approver", "kultur", "/api/grants/admin/messaging/outbox/parked")]
    [InlineData("analyst", "oppvekst", "/api/outcomes/admin/messaging/error-queue")]
    [InlineData("caseworker", "nav", "/api/benefits/admin/messaging/actions")]
    [InlineData("coordinator", "helse-velferd", "/api/coordination/admin/messaging/error-queue")]
    public async Task A_role_is_stopped_at_the_gateway_where_it_has_no_business(string role, string sector, string path)
    {
        using var client = fixture.Client(fixture.Tokens.For(role, sector));

        var response = await client.GetAsync(path);

        await response.ShouldBeProblem(HttpStatusCode.Forbidden, "role");
    }
}
