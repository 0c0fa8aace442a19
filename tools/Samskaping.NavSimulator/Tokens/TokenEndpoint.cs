using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Samskaping.NavSimulator.Tokens;

/// <summary>
/// The simulator's stand-in for Maskinporten: OAuth 2.0 client credentials (RFC 6749 §4.4) at <c>POST /token</c>,
/// answering a short-lived HS256 JWT for the simulator's own APIs. Also mints the tokens the simulator itself
/// presents when it sends inbound notifications to us.
/// </summary>
public sealed class TokenIssuer(IOptions<SimulatorOptions> options, TimeProvider clock)
{
    private readonly JsonWebTokenHandler _handler = new();

    public (string Token, int ExpiresIn) Issue(string subject, string audience, string? scope)
    {
        var o = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object> { ["client_id"] = subject };
        if (!string.IsNullOrWhiteSpace(scope))
        {
            claims["scope"] = scope;
        }
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = o.Issuer,
            Audience = audience,
            Subject = new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("sub", subject)]),
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddSeconds(o.TokenLifetimeSeconds),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(o.SigningKeyBytes()), SecurityAlgorithms.HmacSha256),
        });
        return (token, o.TokenLifetimeSeconds);
    }
}

public static class TokenEndpoint
{
    /// <summary>Validates the simulator's own tokens on its NAV-side APIs.</summary>
    public static IServiceCollection AddSimulatorTokens(this IServiceCollection services)
    {
        services.AddSingleton<TokenIssuer>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<SimulatorOptions>>((jwt, simulator) =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = simulator.Value.Issuer,
                    ValidAudience = simulator.Value.ApiAudience,
                    IssuerSigningKey = new SymmetricSecurityKey(simulator.Value.SigningKeyBytes()),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    RequireExpirationTime = true,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
            });
        services.AddAuthorization();
        return services;
    }

    public static void MapTokenEndpoint(this IEndpointRouteBuilder app) =>
        app.MapPost("/token", Issue)
            .DisableAntiforgery()
            .AllowAnonymous()
            .WithTags("Token")
            .WithSummary("OAuth 2.0 client credentials: a bearer token for the Digisos and look-up APIs");

    internal static async Task<IResult> Issue(HttpRequest request, TokenIssuer issuer, IOptions<SimulatorOptions> options)
    {
        if (!request.HasFormContentType)
        {
            return OAuthError("invalid_request", "Send application/x-www-form-urlencoded.");
        }
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        if (form["grant_type"] != "client_credentials")
        {
            return OAuthError("unsupported_grant_type", "Only client_credentials is supported.");
        }
        var (clientId, clientSecret) = Credentials(request, form);
        var o = options.Value;
        if (!Same(clientId, o.ClientId) || !Same(clientSecret, o.ClientSecret))
        {
            return Results.Json(new { error = "invalid_client" }, statusCode: StatusCodes.Status401Unauthorized);
        }
        var (token, expiresIn) = issuer.Issue(clientId!, o.ApiAudience, form["scope"]);
        return Results.Json(new { access_token = token, token_type = "Bearer", expires_in = expiresIn });
    }

    /// <summary>HTTP Basic (preferred by RFC 6749) or the form fields.</summary>
    private static (string? Id, string? Secret) Credentials(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    return (Uri.UnescapeDataString(decoded[..colon]), Uri.UnescapeDataString(decoded[(colon + 1)..]));
                }
            }
            catch (FormatException)
            {
                return (null, null);
            }
        }
        return (form["client_id"], form["client_secret"]);
    }

    private static bool Same(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    private static IResult OAuthError(string error, string description) =>
        Results.Json(new { error, error_description = description }, statusCode: StatusCodes.Status400BadRequest);
}
