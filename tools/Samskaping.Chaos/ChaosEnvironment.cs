using System.Security.Cryptography;

namespace Samskaping.Chaos;

/// <summary>Where the suite's own PostgreSQL and RabbitMQ are, and how tokens are signed: set by <c>./samskaping chaos</c>.</summary>
internal sealed record ChaosEnvironment(
    string Root, string Postgres, Uri RabbitMq, Uri Management, string SigningKey, string Issuer, string Audience, bool Reduced)
{
    /// <summary>Fresh per run, shared by every start of the cases service within it.</summary>
    public string PersonalDataKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string LookupKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static ChaosEnvironment? FromVariables(bool reduced)
    {
        string? Get(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
        var root = Get("SAMSKAPING_ROOT");
        var postgres = Get("SAMSKAPING_POSTGRES");
        var rabbit = Get("SAMSKAPING_RABBITMQ");
        var management = Get("SAMSKAPING_RABBITMQ_MANAGEMENT");
        var key = Get("Auth__SigningKey");
        if (root is null || postgres is null || rabbit is null || management is null || key is null)
        {
            return null;
        }
        return new ChaosEnvironment(root, postgres, new Uri(rabbit), new Uri(management), key,
            Get("Auth__Issuer") ?? "samskaping-dev", Get("Auth__Audience") ?? "samskaping", reduced);
    }

    public string ServiceDll(string project) =>
        Path.Combine(Root, project.StartsWith("Samskaping.NavSimulator", StringComparison.Ordinal) ? "tools" : "services",
            project, "bin", "Release", "net10.0", project + ".dll");

    public string GatewayDll => Path.Combine(Root, "gateway", "Samskaping.Gateway", "bin", "Release", "net10.0", "Samskaping.Gateway.dll");

    public string Database(string name) => $"{Postgres.TrimEnd(';')};Database={name};Timeout=5;Command Timeout=30";
}
