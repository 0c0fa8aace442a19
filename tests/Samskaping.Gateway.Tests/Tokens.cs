using System.Security.Cryptography;
using Samskaping.DevTokens;

namespace Samskaping.Gateway.Tests;

/// <summary>Tokens as <c>./samskaping token</c> mints them, with a random key per test run.</summary>
public sealed class Tokens
{
    public const string Issuer = "samskaping-dev";
    public const string Audience = "samskaping";

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
        var expiry = expires is { } e ? new DateTimeOffset(e, TimeSpan.Zero) : DateTimeOffset.UtcNow.AddMinutes(10);
        return new DevToken(Convert.ToBase64String(signingKey ?? key), issuer, audience, role, sector)
        {
            Subject = subject ?? Guid.NewGuid().ToString(),
            Name = "Test Person",
            NotBefore = expiry.AddMinutes(-20),
            Expires = expiry,
        }.Mint();
    }
}
