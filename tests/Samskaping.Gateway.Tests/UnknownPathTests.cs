using System.Net;

namespace Samskaping.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class UnknownPathTests(GatewayFixture fixture)
{
    [Theory]
    [InlineData("/api/nothing-here")]
    [InlineData("/api/casesx/1")]
    [InlineData("/openapi/nothing/here.json")]
    [InlineData("/internal/cases/person-export")]
    public async Task An_unknown_path_is_404_problem_details_for_a_signed_in_caller(string path)
    {
        using var client = fixture.Client(fixture.Tokens.For("caseworker"));

        var response = await client.GetAsync(path);

        await response.ShouldBeProblem(HttpStatusCode.NotFound, "No service answers this path");
    }

    [Fact]
    public async Task An_unknown_path_is_401_problem_details_for_an_anonymous_caller_so_the_api_cannot_be_mapped()
    {
        using var client = fixture.Client();

        var response = await client.GetAsync("/api/nothing-here");

        await response.ShouldBeProblem(HttpStatusCode.Unauthorized, "bearer token");
    }
}
