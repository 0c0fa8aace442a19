using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Samskaping.Cases.Internal;
using Samskaping.IntegrationTests.Cases;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Identity;

/// <summary>
/// The development identity provider is a real OpenID Connect provider: discovery and keys, the code flow with PKCE
/// for the workspace's client, service and development tokens — and a service that knows it only by its address takes
/// its tokens, holds its policies on them, and refuses every token it did not issue as it issues them.
/// </summary>
public sealed class IdentityProviderTests(AuthorityService system) : IClassFixture<AuthorityService>
{
    private IdentityProviderHost Provider => system.Provider;

    [Fact]
    public async Task Discovery_names_the_issuer_and_endpoints_and_the_keys_are_public_RSA_keys_only()
    {
        using var client = Provider.Client();

        var discovery = await client.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");
        var keys = await client.GetFromJsonAsync<JsonElement>(discovery.GetProperty("jwks_uri").GetString());

        discovery.GetProperty("issuer").GetString().ShouldBe(Provider.Issuer);
        discovery.GetProperty("authorization_endpoint").GetString().ShouldBe(Provider.Issuer + "connect/authorize");
        discovery.GetProperty("token_endpoint").GetString().ShouldBe(Provider.Issuer + "connect/token");
        discovery.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(m => m.GetString()).ShouldBe(["S256"]);
        var key = keys.GetProperty("keys").EnumerateArray().ShouldHaveSingleItem();
        key.GetProperty("kty").GetString().ShouldBe("RSA");
        key.GetProperty("alg").GetString().ShouldBe("RS256");
        key.GetProperty("n").GetString().ShouldBe(Base64UrlEncoder.Encode(Provider.SigningKey.ExportParameters(false).Modulus));
        key.TryGetProperty("d", out _).ShouldBeFalse("the private exponent must never be published");
    }

    [Fact]
    public async Task A_person_signed_in_with_the_code_flow_gets_an_RS256_token_with_every_role_that_the_service_accepts()
    {
        using var browser = Provider.Client();
        var flow = new CodeFlow(Provider);

        var code = await flow.SignIn(browser, "dev-kari-nordmann|oppvekst");
        var answer = await flow.Redeem(browser, code);

        answer.StatusCode.ShouldBe(HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
        var tokens = await answer.Content.ReadFromJsonAsync<JsonElement>();
        var access = new JsonWebToken(tokens.GetProperty("access_token").GetString());
        access.Alg.ShouldBe("RS256");
        access.Issuer.ShouldBe(Provider.Issuer);
        access.Audiences.ShouldBe([TestEnvironment.Audience]);
        access.Subject.ShouldBe("dev-kari-nordmann");
        access.GetClaim("name").Value.ShouldBe("Kari Nordmann");
        access.GetClaim("sector").Value.ShouldBe("oppvekst");
        access.Claims.Where(c => c.Type == "role").Select(c => c.Value).Order().ShouldBe(["caseworker", "coordinator"]);
        new JsonWebToken(tokens.GetProperty("id_token").GetString()).GetClaim("name").Value.ShouldBe("Kari Nordmann");

        // Kari holds two roles: the caseworker policy takes the token, and she may read the case she opened.
        using var kari = system.CasesAs(access.EncodedToken);
        var caseId = await CaseClient.Open(kari, "Familien Authority");
        (await kari.GetAsync($"/api/cases/{caseId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_code_redeemed_without_its_verifier_gives_no_token_and_a_code_works_only_once()
    {
        using var browser = Provider.Client();
        var flow = new CodeFlow(Provider);
        var code = await flow.SignIn(browser, "dev-kari-nordmann|oppvekst");

        var withoutVerifier = await flow.Redeem(browser, code, withVerifier: false);
        var wrongVerifier = await new CodeFlow(Provider).Redeem(browser, code);
        // A browser of its own: this one's session would skip the sign-in page.
        using var secondBrowser = Provider.Client();
        var second = new CodeFlow(Provider);
        var other = await second.SignIn(secondBrowser, "dev-kari-nordmann|oppvekst");
        var first = await second.Redeem(browser, other);
        var again = await second.Redeem(browser, other);

        withoutVerifier.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await withoutVerifier.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("access_token", out _).ShouldBeFalse();
        wrongVerifier.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        again.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString().ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task The_sign_in_page_refuses_an_unknown_person_a_sector_the_person_is_not_in_and_a_post_without_its_antiforgery_token()
    {
        using var browser = Provider.Client();
        var page = await browser.GetStringAsync("/signin?returnUrl=%2F");
        var form = (string account, bool antiforgery) => new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = antiforgery ? CodeFlow.Field(page, "__RequestVerificationToken") : "",
            ["returnUrl"] = "/",
            ["account"] = account,
        });

        var unknown = await browser.PostAsync("/signin", form("dev-nobody|oppvekst", true));
        var wrongSector = await browser.PostAsync("/signin", form("dev-kari-nordmann|nav", true));
        var forged = await browser.PostAsync("/signin", form("dev-kari-nordmann|oppvekst", false));

        unknown.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await unknown.Content.ReadAsStringAsync()).ShouldContain("Vi kjenner ikke den personen");
        wrongSector.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        foreach (var refused in new[] { unknown, wrongSector, forged })
        {
            var cookies = refused.Headers.TryGetValues("Set-Cookie", out var set) ? set : [];
            cookies.ShouldNotContain(c => c.StartsWith("samskaping-idp=", StringComparison.Ordinal), "a refused sign-in starts no session");
        }
    }

    [Fact]
    public async Task The_sign_in_page_is_bokmal_and_lists_every_demo_person_in_each_of_their_sectors()
    {
        using var browser = Provider.Client();

        var page = await browser.GetStringAsync("/signin?returnUrl=%2F");

        page.ShouldContain("<html lang=\"nb\">");
        page.ShouldContain("<h1>Logg inn i Samskaping</h1>");
        page.ShouldContain("Kari Nordmann</strong><span class=\"role\">koordinator og saksbehandler, oppvekst</span>");
        page.ShouldContain("value=\"dev-nils-aas|kultur\"");
        page.ShouldContain("value=\"dev-nils-aas|frivillighet\"");
    }

    [Fact]
    public async Task A_development_token_is_for_a_demo_person_in_a_role_and_sector_they_hold_and_an_unknown_person_is_refused()
    {
        using var client = Provider.Client();

        var siri = await DevelopmentToken(client, ("name", "Siri Moen"), ("sector", "oppvekst"), ("role", "grant-approver"));
        var unnamed = await DevelopmentToken(client, ("sector", "nav"), ("role", "analyst"));
        var unknown = await client.PostAsync("/connect/token", Form(("name", "Ukjent Person"), ("sector", "oppvekst"), ("role", "caseworker")));
        var notHers = await client.PostAsync("/connect/token", Form(("name", "Siri Moen"), ("sector", "kultur"), ("role", "caseworker")));

        siri.Subject.ShouldBe("dev-siri-moen");
        siri.Claims.Where(c => c.Type == "role").Select(c => c.Value).ShouldBe(["grant-approver"]);
        unnamed.Subject.ShouldBe("dev-nav-analyst");
        unknown.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error_description").GetString()!.ShouldContain("Ukjent Person");
        notHers.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        // The analyst is no caseworker: the service's policy holds on the provider's tokens too.
        using var analyst = system.CasesAs(unnamed.EncodedToken);
        (await analyst.PostAsJsonAsync("/api/cases", new { householdName = "Familien Analyse", need = new { text = "Hjelp." } }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_service_token_from_the_provider_opens_the_internal_endpoints_and_a_persons_token_does_not()
    {
        using var client = Provider.Client();
        var answer = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "samskaping-benefits",
            ["client_secret"] = Provider.ServiceClientSecret,
        }));
        answer.StatusCode.ShouldBe(HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
        var service = new JsonWebToken((await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString());
        var person = await DevelopmentToken(client, ("name", "Kari Nordmann"), ("sector", "oppvekst"), ("role", "coordinator"));

        var asService = await Applicant(service.EncodedToken);
        var asPerson = await Applicant(person.EncodedToken);

        service.Subject.ShouldBe("service:benefits");
        asService.StatusCode.ShouldBe(HttpStatusCode.NotFound, "authorized, and the case is unknown");
        asPerson.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_service_refuses_tokens_the_provider_did_not_issue_as_it_issues_them()
    {
        var key = new RsaSecurityKey(Provider.SigningKey) { KeyId = Base64UrlEncoder.Encode(new RsaSecurityKey(Provider.SigningKey).ComputeJwkThumbprint()) };
        var rs256 = new SigningCredentials(key, SecurityAlgorithms.RsaSha256);
        using var stranger = RSA.Create(2048);
        var strangerKey = new SigningCredentials(new RsaSecurityKey(stranger) { KeyId = key.KeyId }, SecurityAlgorithms.RsaSha256);
        // The classic confusion: HS256 keyed with the provider's public key, which anyone can fetch from its JWKS.
        var publicKeyAsSecret = new SigningCredentials(
            new SymmetricSecurityKey(Provider.SigningKey.ExportSubjectPublicKeyInfo()), SecurityAlgorithms.HmacSha256);

        var wellFormed = Sign(rs256);
        var refused = new Dictionary<string, string>
        {
            ["wrong audience"] = Sign(rs256, audience: "another-api"),
            ["wrong issuer"] = Sign(rs256, issuer: "http://127.0.0.1:1/"),
            ["expired"] = Sign(rs256, expires: DateTime.UtcNow.AddMinutes(-5)),
            ["another key"] = Sign(strangerKey),
            ["HS256 forged"] = Sign(publicKeyAsSecret),
        };

        (await ReadCases(wellFormed)).ShouldBe(HttpStatusCode.OK, "the control: the same token, signed as the provider signs");
        foreach (var (what, token) in refused)
        {
            (await ReadCases(token)).ShouldBe(HttpStatusCode.Unauthorized, what);
        }

        string Sign(SigningCredentials credentials, string? audience = null, string? issuer = null, DateTime? expires = null)
        {
            var notAfter = expires ?? DateTime.UtcNow.AddMinutes(10);
            return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
            {
                Issuer = issuer ?? Provider.Issuer,
                Audience = audience ?? TestEnvironment.Audience,
                IssuedAt = notAfter.AddMinutes(-20),
                NotBefore = notAfter.AddMinutes(-20),
                Expires = notAfter,
                Subject = new ClaimsIdentity([new("sub", "dev-kari-nordmann"), new("name", "Kari"), new("role", "caseworker"), new("sector", "oppvekst")]),
                SigningCredentials = credentials,
            });
        }
    }

    private async Task<HttpStatusCode> ReadCases(string token)
    {
        using var client = system.CasesAs(token);
        return (await client.GetAsync("/api/cases")).StatusCode;
    }

    private async Task<HttpResponseMessage> Applicant(string token)
    {
        using var client = system.CasesAs(token);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/internal/cases/cases/{Guid.NewGuid()}/applicant");
        request.Headers.Add(InternalApi.PurposeHeader, "test");
        return await client.SendAsync(request);
    }

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) => new(
        new Dictionary<string, string>(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)))
        {
            ["grant_type"] = "urn:samskaping:params:oauth:grant-type:demo-person",
            ["client_id"] = "samskaping-cli",
        });

    private static async Task<JsonWebToken> DevelopmentToken(HttpClient client, params (string Name, string Value)[] fields)
    {
        var answer = await client.PostAsync("/connect/token", Form(fields));
        answer.StatusCode.ShouldBe(HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
        return new JsonWebToken((await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString());
    }
}
