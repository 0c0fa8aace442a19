using System.Security.Cryptography;

namespace Samskaping.IntegrationTests.Infrastructure;

/// <summary>
/// Where the real PostgreSQL and RabbitMQ are. <c>./samskaping test</c> starts them and sets these variables;
/// without them the tests fail with a message saying so, rather than skipping silently.
/// </summary>
public static class TestEnvironment
{
    public static string Postgres => Required("SAMSKAPING_TEST_POSTGRES");

    public static string RabbitMq => Required("SAMSKAPING_TEST_RABBITMQ");

    public static Uri RabbitMqManagement => new(Required("SAMSKAPING_TEST_RABBITMQ_MANAGEMENT"));

    public static string Root => Required("SAMSKAPING_ROOT");

    /// <summary>A signing key of this test run's own; tokens made with it are only good here.</summary>
    public static string SigningKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public const string Issuer = "samskaping-test";
    public const string Audience = "samskaping";

    /// <summary>What every process of a test system is started with: this run's tokens, and rate limits out of the way.</summary>
    public static Dictionary<string, string?> ProcessSettings() => new()
    {
        ["Auth:Issuer"] = Issuer,
        ["Auth:Audience"] = Audience,
        ["Auth:SigningKey"] = SigningKey,
        ["RateLimiting:BurstLimit"] = "10000",
        ["RateLimiting:PermitsPerSecond"] = "10000",
    };

    public static string UniqueName(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set. Run the tests with ./samskaping test, which starts PostgreSQL and RabbitMQ and sets it.");
}
