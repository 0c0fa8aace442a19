using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;
using Shouldly;

namespace Samskaping.IntegrationTests.Identity;

/// <summary>
/// The authorization code flow with PKCE as a web application and a browser drive it, one HTTP request at a time:
/// authorize → the provider's sign-in page → the form posted with its antiforgery token → the code → the token.
/// </summary>
public sealed partial class CodeFlow(IdentityProviderHost provider)
{
    /// <summary>The PKCE secret the web application keeps; only its hash travels in the browser.</summary>
    public string Verifier { get; } = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    /// <summary>Signs in as the demo person in the sector on the sign-in page and returns the code sent to the client.</summary>
    public Task<string> SignIn(HttpClient browser, string account) =>
        SignInWith(browser, "signin", new() { ["account"] = account });

    /// <summary>Signs in as a citizen on the page's TestID form (the number and level in the body) and returns the code.</summary>
    public Task<string> SignInAsCitizen(HttpClient browser, string identityNumber, string level = "idporten-loa-substantial") =>
        SignInWith(browser, "signin/innbygger", new() { ["pid"] = identityNumber, ["level"] = level });

    private async Task<string> SignInWith(HttpClient browser, string path, Dictionary<string, string> fields)
    {
        var authorize = QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = IdentityProviderHost.WebClientId,
            ["response_type"] = "code",
            ["redirect_uri"] = IdentityProviderHost.RedirectUri,
            ["scope"] = "openid profile roles",
            ["state"] = "the-state",
            ["nonce"] = "the-nonce",
            ["code_challenge"] = Base64UrlEncoder.Encode(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(Verifier))),
            ["code_challenge_method"] = "S256",
        });
        var toSignIn = await browser.GetAsync(authorize);
        toSignIn.StatusCode.ShouldBe(HttpStatusCode.Redirect, await toSignIn.Content.ReadAsStringAsync());
        var page = await browser.GetAsync(toSignIn.Headers.Location);
        var html = await page.Content.ReadAsStringAsync();
        page.StatusCode.ShouldBe(HttpStatusCode.OK, html);

        fields["__RequestVerificationToken"] = Field(html, "__RequestVerificationToken");
        fields["returnUrl"] = Field(html, "returnUrl");
        var signedIn = await browser.PostAsync(provider.Address + path, new FormUrlEncodedContent(fields));
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect, await signedIn.Content.ReadAsStringAsync());
        var back = await browser.GetAsync(signedIn.Headers.Location);
        back.StatusCode.ShouldBe(HttpStatusCode.Redirect, await back.Content.ReadAsStringAsync());
        var callback = back.Headers.Location!;
        callback.GetLeftPart(UriPartial.Path).ShouldBe(IdentityProviderHost.RedirectUri);
        var query = QueryHelpers.ParseQuery(callback.Query);
        query["state"].ToString().ShouldBe("the-state");
        return query["code"].ToString();
    }

    /// <summary>The web application redeems the code with its secret and, unless left out, the PKCE verifier.</summary>
    public Task<HttpResponseMessage> Redeem(HttpClient client, string code, bool withVerifier = true)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = IdentityProviderHost.RedirectUri,
            ["client_id"] = IdentityProviderHost.WebClientId,
            ["client_secret"] = provider.WebClientSecret,
        };
        if (withVerifier)
        {
            form["code_verifier"] = Verifier;
        }
        return client.PostAsync("/connect/token", new FormUrlEncodedContent(form));
    }

    /// <summary>The value of the page's hidden input of that name, as the browser would post it.</summary>
    public static string Field(string html, string name)
    {
        var match = HiddenInput().Matches(html).FirstOrDefault(m => m.Groups["name"].Value == name);
        match.ShouldNotBeNull($"no hidden input '{name}' on the page");
        return WebUtility.HtmlDecode(match.Groups["value"].Value);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenInput();
}
