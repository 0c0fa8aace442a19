using System.Diagnostics;
using System.Text.Json;

namespace Samskaping.IntegrationTests.Security.OpenApiLint;

/// <summary>
/// Runs the Spectral CLI that <c>./samskaping test</c> installs into tools/openapi-lint/node_modules (pinned by its
/// package-lock.json) with the checked-in ruleset, and reads its JSON findings.
/// </summary>
internal static class Spectral
{
    public const int Error = 0;
    public const int Warning = 1;

    public sealed record Finding(string File, string Code, int Severity, string Message, string Path, int Line)
    {
        public override string ToString() =>
            $"{System.IO.Path.GetFileName(File)}:{Line + 1} {SeverityName(Severity)} {Code}: {Message} at {Path}";
    }

    public static async Task<IReadOnlyList<Finding>> Lint(IReadOnlyList<string> files)
    {
        var tool = ToolFolder();
        var cli = System.IO.Path.Combine(tool, "node_modules", "@stoplight", "spectral-cli", "dist", "index.js");
        if (!File.Exists(cli))
        {
            throw new InvalidOperationException(
                $"Spectral is not installed in {tool}/node_modules. Run ./samskaping test, which installs it (npm ci, pinned by package-lock.json).");
        }
        var output = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(files[0])!, $"findings-{Guid.NewGuid():N}.json");
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = tool,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { cli, "lint", "--ruleset", System.IO.Path.Combine(tool, ".spectral.yaml"), "--format", "json", "--output", output, "--fail-severity", "error", "--quiet" })
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var file in files)
        {
            start.ArgumentList.Add(file);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started (is Node.js installed?)");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        // Exit code 1 means "findings at the fail severity"; anything else, or no output file, is the tool failing.
        if (process.ExitCode is not (0 or 1) || !File.Exists(output))
        {
            throw new InvalidOperationException($"Spectral failed (exit code {process.ExitCode}):\n{await stdout}\n{await stderr}");
        }

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(output));
        return json.RootElement.EnumerateArray().Select(f => new Finding(
            f.GetProperty("source").GetString() ?? "",
            f.GetProperty("code").GetString() ?? "",
            f.GetProperty("severity").GetInt32(),
            f.GetProperty("message").GetString() ?? "",
            string.Join('.', f.GetProperty("path").EnumerateArray().Select(p => p.ToString())),
            f.GetProperty("range").GetProperty("start").GetProperty("line").GetInt32())).ToList();
    }

    private static string SeverityName(int severity) => severity switch
    {
        Error => "error",
        Warning => "warning",
        2 => "info",
        _ => "hint",
    };

    private static string ToolFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Samskaping.sln")))
            {
                return System.IO.Path.Combine(dir.FullName, "tools", "openapi-lint");
            }
        }
        throw new InvalidOperationException("Samskaping.sln not found above the test's folder.");
    }
}
