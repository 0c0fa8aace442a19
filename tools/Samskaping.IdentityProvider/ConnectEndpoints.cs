using System.Globalization;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Samskaping.IdentityProvider;

/// <summary>
/// The endpoints OpenIddict hands to us once it has checked the protocol (client, redirect URI, PKCE, grant): who the
/// person is, from the provider's own sign-in cookie or the development grant's parameters.
/// </summary>
public static class ConnectEndpoints
{
    public const string Authorize = "/connect/authorize";
    public const string Token = "/connect/token";
    public const string EndSession = "/connect/endsession";

    public static WebApplication MapConnectEndpoints(this WebApplication app)
    {
        app.MapMethods(Authorize, [HttpMethods.Get, HttpMethods.Post], (Delegate)AuthorizeRequest).DisableAntiforgery();
        app.MapPost(Token, TokenRequest).DisableAntiforgery();
        app.MapMethods(EndSession, [HttpMethods.Get, HttpMethods.Post], (Delegate)EndSessionRequest).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> AuthorizeRequest(HttpContext context, IOptions<IdentityProviderOptions> options)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var session = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        var person = session.Succeeded
            ? SignedInPerson.InSector(options.Value.People, session.Principal.FindFirst(Claims.Subject)?.Value,
                session.Principal.FindFirst(Samskaping.ServiceDefaults.CurrentUser.SectorClaim)?.Value)
            : null;
        var citizen = session.Succeeded ? CitizenSignIn.Citizen.From(session.Principal) : null;
        if ((person is null && citizen is null) || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Refuse(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Errors.LoginRequired, "Nobody is signed in.");
            }
            // Back to this same request after the sign-in page, without prompt=login (or it would ask again forever).
            var parameters = request.GetParameters()
                .Where(p => p.Key != Parameters.Prompt)
                .Select(p => KeyValuePair.Create(p.Key, (string?)p.Value.ToString()));
            return Results.Challenge(
                new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + QueryString.Create(parameters) },
                [CookieAuthenticationDefaults.AuthenticationScheme]);
        }
        var principal = citizen is not null
            ? Tokens.ForCitizen(citizen, options.Value.Audience, request.GetScopes())
            : Tokens.For(person!, options.Value.Audience, request.GetScopes());
        return Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> TokenRequest(HttpContext context, IOptions<IdentityProviderOptions> options)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var o = options.Value;
        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            // The person as they signed in: OpenIddict has checked the code or refresh token, its client and verifier.
            var redeemed = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            return redeemed.Principal is { } principal
                ? Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)
                : Refuse(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Errors.InvalidGrant, "The grant is no longer valid.");
        }
        if (request.IsClientCredentialsGrantType())
        {
            var service = o.ServiceClients.Keys.FirstOrDefault(s => ClientRegistration.ServiceClientId(s) == request.ClientId);
            return service is null
                ? Refuse(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Errors.UnauthorizedClient, "The client is not a Samskaping service.")
                : Results.SignIn(Tokens.ForService(service, o.Audience), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }
        if (request.GrantType == Tokens.DevelopmentGrant)
        {
            return DevelopmentToken(request, o);
        }
        return Refuse(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Errors.UnsupportedGrantType, "The grant type is not supported.");
    }

    private static IResult DevelopmentToken(OpenIddictRequest request, IdentityProviderOptions options)
    {
        var (person, refusal) = SignedInPerson.ForDevelopmentToken(options.People,
            (string?)request["name"], (string?)request["subject"], (string?)request["sector"], (string?)request["role"]);
        if (person is null)
        {
            return Refuse(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Errors.InvalidGrant, refusal!);
        }
        var minutes = options.AccessTokenLifetimeSeconds / 60;
        if ((string?)request["minutes"] is { } asked)
        {
            if (!int.TryParse(asked, NumberStyles.None, CultureInfo.InvariantCulture, out minutes) || minutes < 1 || minutes > options.MaxDevelopmentTokenMinutes)
            {
                return Refuse(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Errors.InvalidRequest,
                    $"minutes must be a whole number from 1 to {options.MaxDevelopmentTokenMinutes}.");
            }
        }
        var principal = Tokens.For(person, options.Audience, []);
        principal.SetAccessTokenLifetime(TimeSpan.FromMinutes(minutes));
        return Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> EndSessionRequest(HttpContext context)
    {
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        // OpenIddict sends the browser on to the client's registered post-logout address, when it gave one.
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static IResult Refuse(string scheme, string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [scheme]);
}
