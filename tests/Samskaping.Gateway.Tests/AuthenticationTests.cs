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

    [Fact]
    public async Task A_token_expired_31_seconds_ago_is_401_because_the_clock_skew_is_30_seconds()
    {
        using var client = fixture.Client(fixture.Tokens.Create(expires: DateTime.UtcNow.AddSeconds(-31)));

        var response = await client.GetAsync(CasePath);

        await response.ShouldBeProblem(HttpStatusCode.Unauthorized, "bearer token");
    }

    [Fact]
    public async Task A_token_expired_a_few_seconds_ago_is_still_accepted_within_the_clock_skew()
    {
        using var client = fixture.Client(fixture.Tokens.Create(expires: DateTime.UtcNow.AddSeconds(-5)));

        var response = await client.GetAsync(CasePath);

        await response.ShouldBeEcho();
    }

    [Fact]
    public async Task An_unsigned_token_with_alg_none_is_401_problem_details()
    {
        var header = Base64Url("""{"alg":"none","typ":"JWT"}""");
        var exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
        var payload = Base64Url($$"""{"iss":"{{Tokens.Issuer}}","aud":"{{Tokens.Audience}}","sub":"mallory","role":"admin","sector":"oppvekst","exp":{{exp}}}""");
        using var client = fixture.Client($"{header}.{payload}.");

        var response = await client.GetAsync(CasePath);

        await response.ShouldBeProblem(HttpStatusCode.Unauthorized, "bearer token");
    }

    [Fact]
    public async Task A_token_signed_with_the_key_but_without_an_expiry_is_401_problem_details()
    {
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var token = handler.CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = Tokens.Issuer,
            Audience = Tokens.Audience,
            Claims = new Dictionary<string, object> { ["sub"] = "forever", ["role"] = "caseworker", ["sector"] = "oppvekst" },
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(
                new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(Convert.FromBase64String(fixture.Tokens.SigningKey)),
                Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
        });
        using var client = fixture.Client(token);

        var response = await client.GetAsync(CasePath);

        await response.ShouldBeProblem(HttpStatusCode.Unauthorized, "bearer token");
    }

    private static string Base64Url(string json) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
