using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Samskaping.Gateway.Tests;

/// <summary>Mints HS256 tokens like <c>./samskaping token</c> does, with a random key per test run.</summary>
public sealed class Tokens
{
    public const string Issuer = "samskaping-dev";
    public const string Audience = "samskaping";

    private static readonly JsonWebTokenHandler Handler = new();
    private readonly byte[] key = RandomNumberGenerator.GetBytes(32);

    /// <summary>What the gateway is configured with as <c>Auth:SigningKey</c>.</summary>
    public string SigningKey => Convert.ToBase64String(key);

    public string For(string role, string sector = "oppvekst", string? subject = null) =>
        Create(role, sector, subject);

    public string Create(
        string role = "caseworker",
        string sector = "oppvekst",
        string? subject = null,
        string issuer = Issuer,
        string audience = Audience,
        DateTime? expires = null,
        byte[]? signingKey = null)
    {
        var expiry = expires ?? DateTime.UtcNow.AddMinutes(10);
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = expiry.AddMinutes(-20),
            NotBefore = expiry.AddMinutes(-20),
            Expires = expiry,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = subject ?? Guid.NewGuid().ToString(),
                ["name"] = "Test Person",
                ["role"] = role,
                ["sector"] = sector,
            },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(signingKey ?? key), SecurityAlgorithms.HmacSha256),
        });
    }
}
