using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Samskaping.ServiceDefaults;

namespace Samskaping.Benefits.Inbound;

/// <summary>
/// A second bearer scheme for the benefit system's machine tokens, and the one policy that accepts it. The policy
/// authenticates with this scheme only, so a staff token is refused on the inbound endpoint; staff endpoints use the
/// default scheme only, so an inbound token is refused there.
/// </summary>
public static class InboundAuthentication
{
    public const string Scheme = "benefit-system";
    public const string Policy = "benefit-system";

    public static IHostApplicationBuilder AddInboundAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<InboundOptions>()
            .BindConfiguration(InboundOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddBearerAuthentication().AddJwtBearer(Scheme);
        builder.Services.AddOptions<JwtBearerOptions>(Scheme)
            .Configure<IOptions<InboundOptions>>((jwt, inbound) =>
            {
                var o = inbound.Value;
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = true,
                    ValidIssuer = o.Issuer,
                    ValidateAudience = true,
                    ValidAudience = o.Audience,
                    ValidateLifetime = true,
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    IssuerSigningKey = new SymmetricSecurityKey(o.SigningKeyBytes()),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p
                .AddAuthenticationSchemes(Scheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(c => HasScope(c.User, c.Resource is HttpContext http
                    ? http.RequestServices.GetRequiredService<IOptions<InboundOptions>>().Value.Scope
                    : null)));
        // A body of another media type is answered by the router's own 415 endpoint, which carries no policy: the
        // fallback policy decides there, and it must know the benefit system's token too, or the sender is told its
        // token was not accepted instead of what was wrong. Staff endpoints still name the default scheme only.
        builder.Services.PostConfigure<AuthorizationOptions>(o => o.FallbackPolicy =
            Policies.Staff(new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme, Scheme)).Build());
        return builder;
    }

    /// <summary>OAuth scopes are one space-separated claim.</summary>
    public static bool HasScope(ClaimsPrincipal user, string? scope) =>
        scope is not null && user.FindAll("scope").SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Contains(scope);

    /// <summary>The sender as the token names it: the issuer (idempotency is per issuer) and the client.</summary>
    internal static (string Issuer, string Client) Sender(ClaimsPrincipal user) =>
        (user.FindFirstValue("iss") ?? "", user.FindFirstValue("client_id") ?? user.FindFirstValue("sub") ?? "benefit-system");
}
