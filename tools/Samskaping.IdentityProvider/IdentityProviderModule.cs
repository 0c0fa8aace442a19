using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Samskaping.IdentityProvider;

public static class IdentityProviderModule
{
    /// <summary>Options, the store in the provider's own database, OpenIddict's server, and the provider's own session.</summary>
    public static IHostApplicationBuilder AddIdentityProvider(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IdentityProviderOptions>()
            .BindConfiguration(IdentityProviderOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => File.Exists(o.SigningKeyFile), "IdentityProvider:SigningKeyFile must name an RSA private key in PEM (./samskaping up creates one).")
            .ValidateOnStart();
        builder.Services.AddDbContext<IdentityStore>((services, db) => db
            .UseNpgsql(services.GetRequiredService<IConfiguration>().GetConnectionString("Database")
                ?? throw new InvalidOperationException("ConnectionStrings:Database is not set."))
            .UseOpenIddict());

        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityStore>())
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris(ConnectEndpoints.Authorize)
                    .SetTokenEndpointUris(ConnectEndpoints.Token)
                    .SetEndSessionEndpointUris(ConnectEndpoints.EndSession);
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                    .AllowRefreshTokenFlow()
                    .AllowClientCredentialsFlow()
                    .AllowCustomFlow(Tokens.DevelopmentGrant);
                server.RegisterScopes(Scopes.Profile, Scopes.Roles, Scopes.OfflineAccess);
                server.RegisterClaims(Claims.Subject, Claims.Name, Claims.Role, Samskaping.ServiceDefaults.CurrentUser.SectorClaim,
                    Samskaping.ServiceDefaults.CurrentUser.EmailClaim,
                    Samskaping.ServiceDefaults.CitizenToken.PidClaim, Samskaping.ServiceDefaults.CitizenToken.AcrClaim);
                // Codes and refresh tokens are encrypted with a key that lives as long as the process: a restart of the
                // development provider signs people in again, nothing more. Access tokens are signed JWTs the services read.
                server.AddEphemeralEncryptionKey().DisableAccessTokenEncryption();
                // Plain HTTP on loopback in development; a production provider is the municipality's, behind TLS.
                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .DisableTransportSecurityRequirement();
            });
        builder.Services.AddOptions<OpenIddictServerOptions>()
            .Configure<IOptions<IdentityProviderOptions>>((server, provider) => Configure(server, provider.Value));
        builder.Services.AddHostedService<ClientRegistration>();
        builder.Services.AddSingleton<CitizenPseudonyms>();

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.LoginPath = SignInPage.Path;
                cookie.ReturnUrlParameter = "returnUrl";
                cookie.Cookie.Name = "samskaping-idp";
                cookie.Cookie.HttpOnly = true;
                // Lax: the browser must send it on the top-level redirect from the web application to /connect/authorize.
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            });
        builder.Services.AddAuthorization();
        builder.Services.AddAntiforgery(a => a.Cookie.Name = "samskaping-idp-antiforgery");
        // Sessions and antiforgery tokens need not outlive the process (see the encryption key above).
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddHealthChecks();
        return builder;
    }

    private static void Configure(OpenIddictServerOptions server, IdentityProviderOptions provider)
    {
        server.Issuer = provider.Issuer;
        // S256 only: a "plain" challenge is the verifier itself, readable wherever the authorization request was.
        server.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain);
        server.AccessTokenLifetime = TimeSpan.FromSeconds(provider.AccessTokenLifetimeSeconds);
        server.SigningCredentials.Add(new SigningCredentials(SigningKey(provider.SigningKeyFile), SecurityAlgorithms.RsaSha256));
    }

    /// <summary>The RSA key in the PEM file, named (<c>kid</c>) by its public key's thumbprint (RFC 7638).</summary>
    private static RsaSecurityKey SigningKey(string file)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(file));
        var key = new RsaSecurityKey(rsa);
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }
}
