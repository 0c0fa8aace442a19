using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Samskaping.Gateway.Tests;

/// <summary>
/// Secrets come from configuration or the environment, never from the repository: every tracked file (git ls-files) is
/// scanned for private keys, signed tokens, base64 keys of 32 bytes or more in configuration files, and passwords in
/// connection strings or URLs other than the documented local-development ones.
/// </summary>
public sealed partial class RepositorySecretsTests
{
    // Local development only, documented in the README: RabbitMQ's guest, PostgreSQL's postgres, and "password" as the
    // placeholder in examples like amqp://user:password@host.
    private static readonly HashSet<string> DocumentedPasswords = new(StringComparer.OrdinalIgnoreCase) { "guest", "postgres", "password" };

    [Fact]
    public void No_secret_is_committed_to_the_repository()
    {
        var root = RepositoryRoot();
        var files = TrackedFiles(root);
        files.Count.ShouldBeGreaterThan(100, "git ls-files listed the repository");

        var findings = files
            .Select(f => (File: f, Path: Path.Combine(root, f)))
            .Where(f => File.Exists(f.Path) && !IsBinary(f.Path))
            .SelectMany(f => Findings(f.File, File.ReadAllText(f.Path)))
            .ToList();

        findings.ShouldBeEmpty(string.Join(Environment.NewLine, findings));
    }

    // Each planted secret is split in two literals, so this file itself holds none for the scan above to find.
    [Theory]
    [InlineData("key.pem", "-----BEGIN RSA PRIVATE" + " KEY-----\nMIIE...")]
    [InlineData("appsettings.json", """{ "Auth": { "SigningKey": "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=" } }""")]
    [InlineData("values.yaml", "signingKey: q83vEjRWeJCrze8SNFZ4kKvN7xI0" + "VniQq83vEjRWeJA=")]
    [InlineData("appsettings.Production.json", """{ "Benefits": { "Nav": { "ClientSecret": "s3cr3t-from-nav" } } }""")]
    [InlineData("compose.yaml", "ConnectionStrings__Database: Host=db;Username=app;Password=" + "hunter2")]
    [InlineData("README.md", "amqp://samskaping:" + "Zebra-Horse-9@rabbit:5672/")]
    [InlineData("Cases.http", "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9." + "eyJzdWIiOiJrYXJpIiwicm9sZSI6ImFkbWluIn0." + "c2lnbmF0dXJlLXNpZ25hdHVyZQ")]
    public void The_scan_finds_a_planted_secret(string file, string text) =>
        Findings(file, text).ShouldNotBeEmpty();

    [Theory]
    [InlineData("README.md", "`amqp://user:password@host:port/vhost`")]
    [InlineData("samskaping", "export SAMSKAPING_RABBITMQ=\"amqp://guest:guest@127.0.0.1:$RMQ_PORT/\"")]
    [InlineData("compose.yaml", "Password=${POSTGRES_PASSWORD:-samskaping}")]
    [InlineData("appsettings.json", """{ "Outcomes": { "PseudonymKey": "" } }""")]
    [InlineData("package-lock.json", "\"integrity\": \"sha512-nw2Px23Eirx0PFTVoPrb3FEq9Wkmg6vxcDtt38MtBCf1G0tjLCB9cK+3seOXyiw+6+aalgYhvJabQbWwMVKlEQ==\"")]
    [InlineData("values.yaml", "digest: sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("values.yaml", "image: samskaping/cases@sha256:" + "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    public void The_scan_leaves_documented_development_values_and_references_alone(string file, string text) =>
        Findings(file, text).ShouldBeEmpty();

    internal static IEnumerable<string> Findings(string file, string text)
    {
        var name = Path.GetFileName(file);
        if (PrivateKey().IsMatch(text))
        {
            yield return $"{file}: a private key";
        }
        if (!file.EndsWith(".cs", StringComparison.Ordinal) && SignedToken().IsMatch(text))
        {
            yield return $"{file}: a signed token (JWT)";
        }
        foreach (Match m in ConnectionStringPassword().Matches(text))
        {
            if (!IsDocumentedOrReference(m.Groups["secret"].Value))
            {
                yield return $"{file}: a password in a connection string";
            }
        }
        foreach (Match m in UrlPassword().Matches(text))
        {
            if (!IsDocumentedOrReference(m.Groups["secret"].Value))
            {
                yield return $"{file}: a password in a URL";
            }
        }
        var isConfiguration = name.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".yaml", StringComparison.Ordinal) || name.EndsWith(".yml", StringComparison.Ordinal)
            || name.EndsWith(".env", StringComparison.Ordinal);
        if (isConfiguration)
        {
            foreach (Match m in Base64Value().Matches(text))
            {
                if (DecodesToAtLeast32Bytes(m.Groups["value"].Value))
                {
                    yield return $"{file}: a base64 key of 32 bytes or more";
                }
            }
        }
        if (name.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase))
        {
            foreach (Match m in SecretSetting().Matches(text))
            {
                if (!IsDocumentedOrReference(m.Groups["secret"].Value))
                {
                    yield return $"{file}: a value for the secret setting {m.Groups["name"].Value}";
                }
            }
        }
    }

    // ${VAR}, ${VAR:-local-default}, $VAR, $(command), %s, <placeholder>, {{template}}: the value comes from elsewhere.
    private static bool IsDocumentedOrReference(string value) =>
        DocumentedPasswords.Contains(value) || value.Length == 0 || value[0] is '$' or '%' or '<' or '{';

    private static bool DecodesToAtLeast32Bytes(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var written) && written >= 32;
    }

    [GeneratedRegex(@"-----BEGIN [A-Z ]*PRIVATE KEY-----")]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}")]
    private static partial Regex SignedToken();

    [GeneratedRegex(@"(?i)\b(?:password|pwd)\s*=\s*(?<secret>[^;""'\s]+)")]
    private static partial Regex ConnectionStringPassword();

    [GeneratedRegex(@"(?i)\b(?:amqps?|postgres(?:ql)?|https?|redis)://[^:/\s@`]+:(?<secret>[^@\s/`]+)@")]
    private static partial Regex UrlPassword();

    // A quoted or bare configuration value that looks like base64 of 32+ bytes (43+ characters), not an integrity hash
    // or an image digest (sha256:<hex>, public by nature).
    [GeneratedRegex(@"(?<![A-Za-z0-9+/-])(?<!sha(?:256|384|512):)(?<value>[A-Za-z0-9+/]{43,}={0,2})(?![A-Za-z0-9+/=])")]
    private static partial Regex Base64Value();

    [GeneratedRegex(@"(?i)""?(?<name>[A-Za-z_]*(?:secret|password|passord|signingkey|encryptionkey|lookupkey|pseudonymkey))""?[ \t]*:[ \t]*""?(?<secret>[^""\s,}]*)")]
    private static partial Regex SecretSetting();

    private static bool IsBinary(string path)
    {
        using var stream = File.OpenRead(path);
        var buffer = new byte[Math.Min(8000, stream.Length)];
        stream.ReadExactly(buffer);
        return buffer.Contains((byte)0);
    }

    private static List<string> TrackedFiles(string root)
    {
        using var git = Process.Start(new ProcessStartInfo("git", ["-C", root, "ls-files", "-z"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        git.ExitCode.ShouldBe(0, git.StandardError.ReadToEnd());
        return [.. output.Split('\0', StringSplitOptions.RemoveEmptyEntries)];
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Samskaping.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Samskaping.sln not found above " + AppContext.BaseDirectory);
    }
}
