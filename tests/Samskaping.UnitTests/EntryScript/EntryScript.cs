using System.Diagnostics;

namespace Samskaping.UnitTests.EntryScript;

/// <summary>Runs <c>./samskaping</c> of this checkout with bash, as a person or CI would, and gives back what it printed.</summary>
internal static class EntryScript
{
    public sealed record Run(int ExitCode, string Output, string Errors);

    public static Run Invoke(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(Repository.Root, "samskaping"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new Run(process.ExitCode, output, errors.Result);
    }

    public static Run Invoke(params string[] arguments) => Invoke(new Dictionary<string, string?>(), arguments);
}
