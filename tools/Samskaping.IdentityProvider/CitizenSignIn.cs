using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Samskaping.ServiceDefaults;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Samskaping.IdentityProvider;

/// <summary>
/// The citizens' part of the sign-in page, like ID-porten's TestID: a synthetic national identity number is typed
/// (posted in the form's body, never in an address) and a security level chosen. The session, and the tokens made
/// from it, carry the number as <c>pid</c>, the level as <c>acr</c>, a pseudonym as <c>sub</c>, and no role or sector
/// (docs/architecture.md §8).
/// </summary>
public static class CitizenSignIn
{
    public const string Path = "/signin/innbygger";

    public const string NumberField = "pid";
    public const string LevelField = "level";

    private static readonly (string Value, string Label)[] LevelChoices =
        [(CitizenToken.Substantial, "Betydelig (som MinID eller BankID)"), (CitizenToken.High, "Høyt (som BankID)")];

    public static WebApplication MapCitizenSignIn(this WebApplication app)
    {
        // Antiforgery, as on the staff part: a post without the form's token is refused before this runs (400).
        app.MapPost(Path, SignIn);
        return app;
    }

    /// <summary>A citizen in the provider's own session: the claims the sign-in cookie keeps.</summary>
    public sealed record Citizen(string Subject, string Pid, string Level)
    {
        public static Citizen? From(ClaimsPrincipal session) =>
            session.FindFirst(CitizenToken.PidClaim)?.Value is { } pid && IdentityNumber.Parse(pid, out _) is not null
            && session.FindFirst(Claims.Subject)?.Value is { } subject
            && session.FindFirst(CitizenToken.AcrClaim)?.Value is { } level && CitizenToken.Levels.Contains(level)
                ? new Citizen(subject, pid, level)
                : null;
    }

    private static async Task<IResult> SignIn(HttpContext context, IAntiforgery antiforgery, IOptions<IdentityProviderOptions> options,
        CitizenPseudonyms pseudonyms, [FromForm(Name = NumberField)] string? pid, [FromForm(Name = LevelField)] string? level, [FromForm] string? returnUrl)
    {
        if (!SignInPage.IsLocal(returnUrl))
        {
            return SignInPage.Page(context, antiforgery, options.Value, "/", StatusCodes.Status400BadRequest,
                "Innloggingen kom ikke fra et program som kan bruke den. Start på nytt fra programmet du ville bruke.");
        }
        var number = IdentityNumber.Parse(pid, out var why);
        var problems = new CitizenProblems(
            number is not null ? null : string.IsNullOrWhiteSpace(pid) ? "Skriv inn et fødselsnummer med 11 siffer." : Norwegian.IdentityNumberProblem(why!),
            level is not null && CitizenToken.Levels.Contains(level) ? null : "Velg sikkerhetsnivå.");
        if (number is null || problems.Level is not null)
        {
            return SignInPage.Page(context, antiforgery, options.Value, returnUrl!, StatusCodes.Status400BadRequest,
                "Innloggingen som innbygger gikk ikke. Se feltet som er markert.", problems);
        }
        var identity = new ClaimsIdentity(CookieAuthenticationDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, pseudonyms.For(number)));
        identity.AddClaim(new Claim(CitizenToken.PidClaim, number.Digits));
        identity.AddClaim(new Claim(CitizenToken.AcrClaim, level!));
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return Results.Redirect(returnUrl!);
    }

    /// <summary>What was wrong with each field of a refused citizen sign-in, shown beside it.</summary>
    public sealed record CitizenProblems(string? Number, string? Level);

    /// <summary>The citizens' form, with the problems of a refused try beside their fields. The number is never written back.</summary>
    public static void AppendForm(StringBuilder page, HttpContext context, AntiforgeryTokenSet tokens, string returnUrl, CitizenProblems? problems)
    {
        var html = HtmlEncoder.Default;
        page.Append("<section aria-labelledby=\"citizen\">\n<h2 id=\"citizen\">Innbygger (TestID)</h2>\n")
            .Append("<p>For familier og unge: skriv inn et syntetisk testfødselsnummer, slik som i ID-portens TestID. Bruk aldri et ekte fødselsnummer.</p>\n")
            .Append("<form method=\"post\" action=\"").Append(html.Encode(context.Request.PathBase + Path)).Append("\" novalidate>\n")
            .Append("<input type=\"hidden\" name=\"").Append(html.Encode(tokens.FormFieldName)).Append("\" value=\"")
            .Append(html.Encode(tokens.RequestToken ?? "")).Append("\">\n")
            .Append("<input type=\"hidden\" name=\"returnUrl\" value=\"").Append(html.Encode(returnUrl)).Append("\">\n")
            .Append("<div class=\"field\"><label for=\"pid\">Fødselsnummer (11 siffer)</label>\n");
        if (problems?.Number is { } numberProblem)
        {
            page.Append("<p class=\"field-error\" id=\"pid-error\">").Append(html.Encode(numberProblem)).Append("</p>\n");
        }
        page.Append("<input id=\"pid\" name=\"").Append(NumberField).Append("\" type=\"text\" inputmode=\"numeric\" autocomplete=\"off\" maxlength=\"")
            .Append(IdentityNumber.MaxInputLength).Append('"')
            .Append(problems?.Number is null ? "" : " aria-invalid=\"true\" aria-describedby=\"pid-error\"").Append("></div>\n")
            .Append("<fieldset").Append(problems?.Level is null ? "" : " aria-describedby=\"level-error\"").Append("><legend>Sikkerhetsnivå</legend>\n");
        if (problems?.Level is { } levelProblem)
        {
            page.Append("<p class=\"field-error\" id=\"level-error\">").Append(html.Encode(levelProblem)).Append("</p>\n");
        }
        for (var i = 0; i < LevelChoices.Length; i++)
        {
            var (value, label) = LevelChoices[i];
            page.Append("<div><input type=\"radio\" id=\"level-").Append(i).Append("\" name=\"").Append(LevelField).Append("\" value=\"")
                .Append(html.Encode(value)).Append('"').Append(i == 0 ? " checked" : "").Append("> <label for=\"level-").Append(i).Append("\">")
                .Append(html.Encode(label)).Append("</label></div>\n");
        }
        page.Append("</fieldset>\n<button type=\"submit\" class=\"primary\">Logg inn som innbygger</button>\n</form>\n</section>\n");
    }
}

/// <summary>
/// The citizen's <c>sub</c>: an HMAC of the identity number under a key derived from the provider's signing key, so
/// it is stable for as long as the key is, and tells nothing of the number (ID-porten's <c>sub</c> is a pseudonym too).
/// </summary>
public sealed class CitizenPseudonyms(IOptions<IdentityProviderOptions> options)
{
    public const string Prefix = "innbygger-";

    private readonly Lazy<byte[]> _key = new(() =>
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(options.Value.SigningKeyFile));
        return HMACSHA256.HashData(rsa.ExportPkcs8PrivateKey(), "samskaping citizen pseudonym"u8);
    });

    public string For(IdentityNumber number) =>
        Prefix + Base64UrlEncoder.Encode(HMACSHA256.HashData(_key.Value, Encoding.ASCII.GetBytes(number.Digits)));
}
