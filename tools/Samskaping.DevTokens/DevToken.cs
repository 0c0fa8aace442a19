using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Samskaping.DevTokens;

/// <summary>
/// A worker's token as the services read it: <c>sub</c>, <c>name</c>, <c>role</c>, <c>sector</c>, with issuer,
/// audience, lifetime and a unique <c>jti</c>, signed HS256 with <see cref="SigningKey"/> (base64 of at least 32 bytes).
/// </summary>
public sealed record DevToken(string SigningKey, string Issuer, string Audience, string Role, string Sector)
{
    /// <summary>Null for a token without a subject (a test of what the services refuse).</summary>
    public string? Subject { get; init; }

    public string Name { get; init; } = "";

    /// <summary>
    /// Set for a citizen's token instead of a worker's (docs/architecture.md §8): <c>sub</c>, <c>pid</c> (this national
    /// identity number) and <c>acr</c> (<see cref="Acr"/>), and no name, role or sector.
    /// </summary>
    public string? Pid { get; init; }

    /// <summary>The security level of a citizen's token.</summary>
    public string Acr { get; init; } = "idporten-loa-substantial";

    public DateTimeOffset NotBefore { get; init; } = DateTimeOffset.UtcNow;

    public DateTimeOffset Expires { get; init; } = DateTimeOffset.UtcNow.AddHours(1);

    /// <summary>True for the base64 of at least 32 bytes, the least HS256 accepts.</summary>
    public static bool IsSigningKey(string key)
    {
        var bytes = new byte[key.Length];
        return Convert.TryFromBase64String(key.Trim(), bytes, out var length) && length >= 32;
    }

    public string Mint()
    {
        var claims = Pid is null
            ? new List<Claim> { new("name", Name), new("role", Role), new("sector", Sector) }
            : [new("pid", Pid), new("acr", Acr)];
        if (Subject is not null)
        {
            claims.Insert(0, new Claim("sub", Subject));
        }
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = NotBefore.UtcDateTime,
            NotBefore = NotBefore.UtcDateTime,
            Expires = Expires.UtcDateTime,
            Subject = new ClaimsIdentity(claims),
            Claims = new Dictionary<string, object> { ["jti"] = Guid.NewGuid().ToString("N") },
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Convert.FromBase64String(SigningKey.Trim())), SecurityAlgorithms.HmacSha256),
        });
    }
}
