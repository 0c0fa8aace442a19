using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Samskaping.Workspace.SignIn;

/// <summary>
/// Sign-in as a backend-for-frontend: the OpenID Connect authorization code flow with PKCE, the code redeemed by this
/// server with its client secret. The tokens stay on the server (<see cref="SessionTicketStore"/>); the browser holds
/// only an HttpOnly, Secure, SameSite cookie naming the session.
/// </summary>
internal static class SignInSetup
{
    public const string SessionCookie = "samskaping-okt";

    private static readonly string[] Scopes = ["openid", "profile", "roles"];

    public static WebApplicationBuilder AddSignIn(this WebApplicationBuilder builder, WorkspaceOptions options)
    {
        builder.Services.AddSingleton<SessionTicketStore>();
        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(o =>
            {
                o.Cookie.Name = SessionCookie;
                o.Cookie.HttpOnly = true;
                o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                // Lax, not Strict: following a link to a case from e-mail or another system must find the person signed in.
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.ExpireTimeSpan = TimeSpan.FromMinutes(options.SessionMinutes);
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = SessionRenewal.RejectWhenTokenExpired;
            })
            .AddOpenIdConnect(o =>
            {
                o.Authority = options.Authority;
                o.RequireHttpsMetadata = options.Authority.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
                o.ClientId = options.ClientId;
                o.ClientSecret = options.ClientSecret;
                o.ResponseType = OpenIdConnectResponseType.Code;
                // The code comes back in the query of a top-level redirect: no self-submitting form (and its script).
                o.ResponseMode = OpenIdConnectResponseMode.Query;
                o.UsePkce = true;
                o.Scope.Clear();
                foreach (var scope in Scopes)
                {
                    o.Scope.Add(scope);
                }
                // The API wants the access token; it is kept with the session on the server, never sent to the browser.
                o.SaveTokens = true;
                o.MapInboundClaims = false;
                o.TokenValidationParameters.NameClaimType = "name";
                o.TokenValidationParameters.RoleClaimType = "role";
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.Always;
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.Always;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
            });
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<SessionTicketStore>((o, store) => o.SessionStore = store);
        // Every page needs a signed-in person; health probes and the style sheets say AllowAnonymous themselves.
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return builder;
    }

    /// <summary>POST /logg-ut (with the form's antiforgery token): ends the session here and at the provider.</summary>
    public static WebApplication MapSignOut(this WebApplication app)
    {
        app.MapPost("/logg-ut", () => Results.SignOut(new AuthenticationProperties { RedirectUri = "/" },
                [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]))
            .WithMetadata(new RequireAntiforgeryTokenAttribute());
        return app;
    }
}
