using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Samskaping.IntegrationTests.Infrastructure;

/// <summary>Signed test tokens, shaped like the ones <c>./samskaping token</c> and the OIDC provider issue.</summary>
public static class Tokens
{
    public static string For(string sector, string role, string? subject = null, string? name = null, string? signingKey = null,
        string issuer = TestEnvironment.Issuer, string audience = TestEnvironment.Audience, DateTime? expires = null, bool withSubject = true)
    {
        var key = new SymmetricSecurityKey(Convert.FromBase64String(signingKey ?? TestEnvironment.SigningKey));
        var now = DateTime.UtcNow;
        var notAfter = expires ?? now.AddMinutes(30);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = notAfter < now ? notAfter.AddMinutes(-10) : now,
            NotBefore = notAfter < now ? notAfter.AddMinutes(-10) : now,
            Expires = notAfter,
            Subject = new ClaimsIdentity(new[]
            {
                new Claim("sub", subject ?? $"{sector}-{role}-worker"),
                new Claim("name", name ?? $"Test {role}"),
                new Claim("role", role),
                new Claim("sector", sector),
            }.Where(c => withSubject || c.Type != "sub")),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }
}
