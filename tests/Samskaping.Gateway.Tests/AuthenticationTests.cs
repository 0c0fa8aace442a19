using System.Net;
using System.Security.Cryptography;

namespace Samskaping.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class AuthenticationTests(GatewayFixture fixture)
{
    private const string CasePath = "/api/cases/households";

    [Fact]
    public async Task A_request_without_a_token_is_401_problem_details()
    {
        using var client = fixture.Client();

        var response = await client.GetAsync(CasePath);

        var problem = await response.ShouldBeProblem(HttpStatusCode.Unauthorized, "bearer token");
        problem.GetProperty("detail").GetString()!.ShouldContain("Authorization: Bearer");
        response.Headers.WwwAuthenticate.ShouldContain(h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task An_expired_token_is_401_problem_details()
    {
        using var client = fixture.Client(fixture.Tokens.Create(expires: DateTime.UtcNow.AddMinutes(-5)));

        var response = await client.GetAsync(CasePath);

        var problem = await response.ShouldBeProblem(HttpStatusCode.Unauthorized, "bearer token");
        problem.GetProperty("detail").GetString()!.ShouldContain("expired");
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_401_problem_details()
    {
        using var client = fixture.Client(fixture.Tokens.Create(signingKey: RandomNumberGenerator.GetBytes(32)));

        var response = await client.GetAsync(CasePath);

        await response.ShouldBeProblem(HttpStatusCode.Unauthorized, "bearer token");
    }

    [Fact]
    public async Task A_token_for_another_audience_is_401_problem_details()
    {
        using var client = fixture.Client(fixture.Tokens.Create(audience: "someone-else"));

        var response = await client.GetAsync(CasePath);

        await response.ShouldBeProblem(HttpStatusCode.Unauthorized, "bearer token");
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_401_problem_details()
    {
        using var client = fixture.Client(fixture.Tokens.Create(issuer: "https://evil.example"));

        var response = await client.GetAsync(CasePath);

        await response.ShouldBeProblem(HttpStatusCode.Unauthorized, "bearer token");
    }
}
