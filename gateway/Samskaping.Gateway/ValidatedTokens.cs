using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Samskaping.Gateway;

/// <summary>
/// The gateway's token handler: validates a bearer token as <see cref="JsonWebTokenHandler"/> does, and remembers a
/// token that passed for a short while, so a caseworker's client, which sends the same token with every request,
/// is not parsed, signature-checked and turned into claims again each time (about a tenth of the gateway's CPU per
/// proxied read, docs/performance.md). API gateways do the same (Envoy's <c>jwt_authn</c> cache).
/// <list type="bullet">
/// <item>Only a token that passed every check is remembered, keyed by its whole text (no hash, so no collision can
/// let another token through); a refused token is checked again every time.</item>
/// <item>A remembered token counts as valid until the earlier of its own expiry (<c>exp</c>, without clock skew) and
/// <see cref="GatewayOptions.TokenCacheSeconds"/> after it was checked — so a signing key withdrawn from the
/// issuer's key set stops being honoured within that time.</item>
/// <item>Each request gets its own copy of the claims; nothing downstream can change another request's identity.</item>
/// <item>At most <see cref="GatewayOptions.TokenCacheEntries"/> tokens; when full, expired ones are dropped and,
/// if none has expired, a new token is validated without being remembered.</item>
/// </list>
/// The services behind the gateway validate every token in full themselves.
/// </summary>
public sealed class ValidatedTokens : JsonWebTokenHandler
{
    private readonly ConcurrentDictionary<string, Entry> _passed = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private readonly TimeSpan _lifetime;
    private readonly int _capacity;

    public ValidatedTokens(TimeProvider clock, TimeSpan lifetime, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _clock = clock;
        _lifetime = lifetime;
        _capacity = capacity;
    }

    /// <summary>How many tokens are remembered now.</summary>
    public int Count => _passed.Count;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = _clock.GetUtcNow();
        if (_passed.TryGetValue(token, out var entry))
        {
            if (now < entry.Until)
            {
                return new TokenValidationResult
                {
                    IsValid = true,
                    SecurityToken = entry.Token,
                    ClaimsIdentity = entry.Identity.Clone(),
                    Issuer = entry.Token.Issuer,
                    TokenType = entry.TokenType,
                };
            }
            _passed.TryRemove(new KeyValuePair<string, Entry>(token, entry));
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result is { IsValid: true, SecurityToken: JsonWebToken validated, ClaimsIdentity: { } identity })
        {
            Remember(token, new Entry(validated, identity.Clone(), result.TokenType, Until(now, validated)), now);
        }
        return result;
    }

    private DateTimeOffset Until(DateTimeOffset now, JsonWebToken token)
    {
        var byLifetime = now + _lifetime;
        // ValidTo is DateTime.MinValue when the token has no exp; the handler refuses such tokens (RequireExpirationTime).
        var expires = new DateTimeOffset(DateTime.SpecifyKind(token.ValidTo, DateTimeKind.Utc));
        return expires < byLifetime ? expires : byLifetime;
    }

    private void Remember(string token, Entry entry, DateTimeOffset now)
    {
        if (_passed.Count >= _capacity)
        {
            foreach (var (key, old) in _passed)
            {
                if (old.Until <= now)
                {
                    _passed.TryRemove(new KeyValuePair<string, Entry>(key, old));
                }
            }
            if (_passed.Count >= _capacity)
            {
                return;
            }
        }
        _passed[token] = entry;
    }

    private sealed record Entry(JsonWebToken Token, ClaimsIdentity Identity, string? TokenType, DateTimeOffset Until);
}

internal static class ValidatedTokensExtensions
{
    /// <summary>
    /// Puts <see cref="ValidatedTokens"/> in place of the bearer scheme's token handler, unless
    /// <see cref="GatewayOptions.TokenCacheSeconds"/> is 0.
    /// </summary>
    public static IServiceCollection AddValidatedTokenCache(this IServiceCollection services)
    {
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .PostConfigure<IOptions<GatewayOptions>, TimeProvider>((jwt, gateway, clock) =>
            {
                if (gateway.Value.TokenCacheSeconds == 0)
                {
                    return;
                }
                jwt.TokenHandlers.Clear();
                jwt.TokenHandlers.Add(new ValidatedTokens(
                    clock, TimeSpan.FromSeconds(gateway.Value.TokenCacheSeconds), gateway.Value.TokenCacheEntries)
                {
                    MapInboundClaims = jwt.MapInboundClaims,
                });
            });
        return services;
    }
}
