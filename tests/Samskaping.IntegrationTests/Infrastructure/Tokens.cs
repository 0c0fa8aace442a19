using Samskaping.DevTokens;

namespace Samskaping.IntegrationTests.Infrastructure;

/// <summary>Tokens for the test systems, minted as <c>./samskaping token</c> mints them.</summary>
public static class Tokens
{
    public static string For(string sector, string role, string? subject = null, string? name = null, string? signingKey = null,
        string issuer = TestEnvironment.Issuer, string audience = TestEnvironment.Audience, DateTime? expires = null, bool withSubject = true)
    {
        var now = DateTimeOffset.UtcNow;
        var notAfter = expires is { } e ? new DateTimeOffset(e, TimeSpan.Zero) : now.AddMinutes(30);
        return new DevToken(signingKey ?? TestEnvironment.SigningKey, issuer, audience, role, sector)
        {
            Subject = withSubject ? subject ?? $"{sector}-{role}-worker" : null,
            Name = name ?? $"Test {role}",
            NotBefore = notAfter < now ? notAfter.AddMinutes(-10) : now,
            Expires = notAfter,
        }.Mint();
    }

    /// <summary>A citizen's token, as ID-porten's would be (docs/architecture.md §8): a pseudonymous sub, pid and acr.</summary>
    public static string Citizen(string identityNumber, string? subject = null, string acr = "idporten-loa-substantial")
    {
        var now = DateTimeOffset.UtcNow;
        return new DevToken(TestEnvironment.SigningKey, TestEnvironment.Issuer, TestEnvironment.Audience, "", "")
        {
            Subject = subject ?? "innbygger-" + Guid.NewGuid().ToString("N"),
            Pid = identityNumber,
            Acr = acr,
            NotBefore = now,
            Expires = now.AddMinutes(30),
        }.Mint();
    }
}
