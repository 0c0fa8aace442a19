using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Samskaping.IntegrationTests.Cases;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Identity;

/// <summary>
/// The development provider's citizen mode, as ID-porten's TestID (docs/architecture.md §8): a typed synthetic number
/// and a chosen level give a token with a pseudonymous sub, pid and acr, and no name, role or sector, which the citizen
/// endpoints take and the staff ones refuse; a wrong number is refused beside its field and starts no session.
/// </summary>
public sealed class CitizenSignInTests(AuthorityService system) : IClassFixture<AuthorityService>
{
    private IdentityProviderHost Provider => system.Provider;

    [Fact]
    public async Task A_citizen_signed_in_with_testid_gets_pid_and_acr_a_pseudonym_and_no_role_or_sector()
    {
        var number = IdentityNumbers.Adult();
        using var browser = Provider.Client();
        var flow = new CodeFlow(Provider);

        var code = await flow.SignInAsCitizen(browser, number, "idporten-loa-high");
        var answer = await flow.Redeem(browser, code);

        answer.StatusCode.ShouldBe(HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
        var tokens = await answer.Content.ReadFromJsonAsync<JsonElement>();
        var access = new JsonWebToken(tokens.GetProperty("access_token").GetString());
        access.Alg.ShouldBe("RS256");
        access.GetClaim("pid").Value.ShouldBe(number);
        access.GetClaim("acr").Value.ShouldBe("idporten-loa-high");
        access.Subject.ShouldStartWith("innbygger-");
        access.Subject.ShouldNotContain(number);
        access.Claims.ShouldNotContain(c => c.Type == "role" || c.Type == "sector" || c.Type == "name");
        new JsonWebToken(tokens.GetProperty("id_token").GetString()).GetClaim("pid").Value.ShouldBe(number);

        // The same number is the same pseudonym at the next sign-in, in another browser.
        using var again = Provider.Client();
        var second = new CodeFlow(Provider);
        var next = await second.Redeem(again, await second.SignInAsCitizen(again, number));
        new JsonWebToken((await next.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()).Subject.ShouldBe(access.Subject);

        using var citizen = system.CasesAs(access.EncodedToken);
        (await citizen.GetAsync("/api/cases/citizen/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await citizen.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_wrong_number_or_no_level_is_refused_beside_its_field_and_starts_no_session()
    {
        using var browser = Provider.Client();
        var page = await browser.GetStringAsync("/signin?returnUrl=%2F");
        var number = IdentityNumbers.Adult();
        var typo = number[..10] + (number[10] == '9' ? '0' : (char)(number[10] + 1));
        FormUrlEncodedContent Form(string pid, string? level) => new(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = CodeFlow.Field(page, "__RequestVerificationToken"),
            ["returnUrl"] = "/",
            ["pid"] = pid,
            ["level"] = level ?? "",
        });

        var wrong = await browser.PostAsync("/signin/innbygger", Form(typo, "idporten-loa-substantial"));
        var noLevel = await browser.PostAsync("/signin/innbygger", Form(number, "idporten-loa-low"));

        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var wrongPage = WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync());
        wrongPage.ShouldContain("<p class=\"field-error\" id=\"pid-error\">Kontrollsifrene stemmer ikke. Se etter en skrivefeil.</p>");
        wrongPage.ShouldContain("aria-invalid=\"true\" aria-describedby=\"pid-error\"");
        wrongPage.ShouldNotContain(typo);
        noLevel.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        WebUtility.HtmlDecode(await noLevel.Content.ReadAsStringAsync()).ShouldContain("Velg sikkerhetsnivå.");
        foreach (var refused in new[] { wrong, noLevel })
        {
            var cookies = refused.Headers.TryGetValues("Set-Cookie", out var set) ? set : [];
            cookies.ShouldNotContain(c => c.StartsWith("samskaping-idp=", StringComparison.Ordinal), "a refused sign-in starts no session");
        }
    }
}
