using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Samskaping.ServiceDefaults;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Samskaping.IdentityProvider;

/// <summary>
/// The sign-in page (innlogging): one button per demo person and sector. Choosing one starts the provider's own session
/// (an HttpOnly cookie) and sends the browser back to the authorization request that asked for it.
/// </summary>
public static class SignInPage
{
    public const string Path = "/signin";

    public static WebApplication MapSignInPage(this WebApplication app)
    {
        app.MapGet(Path, Show);
        // Antiforgery: the form carries the token, and a post without it is refused before this runs (400).
        app.MapPost(Path, SignIn);
        return app;
    }

    private static IResult Show(HttpContext context, IAntiforgery antiforgery, IOptions<IdentityProviderOptions> options, string? returnUrl)
    {
        if (!IsLocal(returnUrl))
        {
            return Page(context, antiforgery, options.Value, "/", StatusCodes.Status400BadRequest,
                "Innloggingen kom ikke fra et program som kan bruke den. Start på nytt fra programmet du ville bruke.");
        }
        return Page(context, antiforgery, options.Value, returnUrl!, StatusCodes.Status200OK, message: null);
    }

    private static async Task<IResult> SignIn(HttpContext context, IAntiforgery antiforgery, IOptions<IdentityProviderOptions> options,
        [FromForm] string? account, [FromForm] string? returnUrl)
    {
        var parts = (account ?? "").Split('|', 2);
        var person = parts.Length == 2 ? SignedInPerson.InSector(options.Value.People, parts[0], parts[1]) : null;
        if (!IsLocal(returnUrl) || person is null)
        {
            return Page(context, antiforgery, options.Value, IsLocal(returnUrl) ? returnUrl! : "/", StatusCodes.Status400BadRequest,
                "Vi kjenner ikke den personen. Velg en av personene i listen.");
        }
        var identity = new ClaimsIdentity(CookieAuthenticationDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, person.Subject));
        identity.AddClaim(new Claim(Claims.Name, person.Name));
        identity.AddClaim(new Claim(CurrentUser.SectorClaim, person.Sector));
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return Results.Redirect(returnUrl!);
    }

    // Only back into this provider: an open redirect on a sign-in page is a phishing tool.
    internal static bool IsLocal(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    internal static IResult Page(HttpContext context, IAntiforgery antiforgery, IdentityProviderOptions options, string returnUrl,
        int status, string? message, CitizenSignIn.CitizenProblems? citizenProblems = null)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var html = HtmlEncoder.Default;
        var page = new StringBuilder();
        page.Append("""
            <!DOCTYPE html>
            <html lang="nb">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Logg inn – Samskaping (utvikling)</title>
            <style>
            body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
            ul { list-style: none; padding: 0; }
            li { margin: 0.5rem 0; }
            button { width: 100%; text-align: left; padding: 0.75rem 1rem; font: inherit; border: 2px solid #1e2b3c; border-radius: 4px; background: #fff; cursor: pointer; }
            button:hover, button:focus-visible { background: #e6f0ff; outline: 3px solid #005bb5; outline-offset: 2px; }
            .role { display: block; color: #333; }
            .error { border-left: 4px solid #c30000; padding-left: 1rem; }
            section { margin-top: 2.5rem; }
            .field { margin: 1rem 0; }
            .field label { display: block; font-weight: 600; }
            input[type=text] { font: inherit; padding: 0.5rem; width: 100%; max-width: 16rem; border: 2px solid #1e2b3c; border-radius: 4px; }
            input[type=text]:focus-visible, input[type=radio]:focus-visible { outline: 3px solid #005bb5; outline-offset: 2px; }
            .field-error { color: #c30000; font-weight: 600; margin: 0.25rem 0; }
            fieldset { border: none; padding: 0; margin: 1rem 0; }
            legend { font-weight: 600; }
            button.primary { width: auto; text-align: center; background: #1e2b3c; color: #fff; }
            button.primary:hover, button.primary:focus-visible { background: #005bb5; color: #fff; }
            </style>
            </head>
            <body>
            <main>
            <h1>Logg inn i Samskaping</h1>
            <p>Dette er innloggingen for utvikling og testing. Her finnes ingen passord: velg hvem du vil være.</p>
            """);
        if (message is not null)
        {
            page.Append("<p class=\"error\" role=\"alert\">").Append(html.Encode(message)).Append("</p>\n");
        }
        page.Append("<form method=\"post\" action=\"").Append(html.Encode(context.Request.PathBase + Path)).Append("\">\n")
            .Append("<input type=\"hidden\" name=\"").Append(html.Encode(tokens.FormFieldName)).Append("\" value=\"")
            .Append(html.Encode(tokens.RequestToken ?? "")).Append("\">\n")
            .Append("<input type=\"hidden\" name=\"returnUrl\" value=\"").Append(html.Encode(returnUrl)).Append("\">\n")
            .Append("<h2 id=\"people\">Velg person</h2>\n<ul aria-labelledby=\"people\">\n");
        foreach (var person in options.People)
        {
            foreach (var sector in person.Sectors)
            {
                page.Append("<li><button type=\"submit\" name=\"account\" value=\"")
                    .Append(html.Encode(person.Subject + "|" + sector)).Append("\">")
                    .Append("<strong>").Append(html.Encode(person.Name)).Append("</strong>")
                    .Append("<span class=\"role\">").Append(html.Encode(Norwegian.Roles(person.Roles) + ", " + Norwegian.Sector(sector)))
                    .Append("</span></button></li>\n");
            }
        }
        page.Append("</ul>\n</form>\n");
        CitizenSignIn.AppendForm(page, context, tokens, returnUrl, citizenProblems);
        page.Append("</main>\n</body>\n</html>\n");
        return Results.Content(page.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }
}

/// <summary>Roles and sectors as a person at the municipality says them.</summary>
public static class Norwegian
{
    public static string Roles(IEnumerable<string> roles) => string.Join(" og ", roles.Select(Role));

    public static string Role(string role) => role switch
    {
        ServiceDefaults.Roles.Caseworker => "saksbehandler",
        ServiceDefaults.Roles.Coordinator => "koordinator",
        ServiceDefaults.Roles.GrantApprover => "godkjenner av tilskudd",
        ServiceDefaults.Roles.Analyst => "analytiker",
        ServiceDefaults.Roles.Admin => "administrator",
        ServiceDefaults.Roles.PrivacyOfficer => "personvernombud",
        _ => role,
    };

    /// <summary>Why <see cref="IdentityNumber.Parse"/> refused a number, said to the person who typed it.</summary>
    public static string IdentityNumberProblem(string why) => why switch
    {
        _ when why.StartsWith("The check digits", StringComparison.Ordinal) => "Kontrollsifrene stemmer ikke. Se etter en skrivefeil.",
        _ when why.StartsWith("The date part", StringComparison.Ordinal) => "De seks første sifrene er ikke en gyldig fødselsdato.",
        _ => "Fødselsnummeret må ha 11 siffer.",
    };

    public static string Sector(string sector) => sector switch
    {
        "helse-velferd" => "helse og velferd",
        "nav" => "NAV",
        _ => sector,
    };
}
