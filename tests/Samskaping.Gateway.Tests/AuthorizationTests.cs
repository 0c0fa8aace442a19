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
    public async Task A_role_is_stopped_at_the_gateway_where_it_has_no_business(string role, string sector, string path)
    {
        using var client = fixture.Client(fixture.Tokens.For(role, sector));

        var response = await client.GetAsync(path);

        await response.ShouldBeProblem(HttpStatusCode.Forbidden, "role");
    }
}
