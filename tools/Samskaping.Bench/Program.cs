using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Samskaping.Bench;

// ./samskaping bench [NAME ...] [--seed N] [--quick] [--option key=value ...]
// Runs the named benchmarks (all when none is named), prints a table, and writes JSON and Markdown
// under .samskaping/bench/.

var benchmarks = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBenchmark).IsAssignableFrom(t))
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

var names = new List<string>();
var options = new Dictionary<string, string>(StringComparer.Ordinal);
var seed = 20261127;
var quick = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seed" when i + 1 < args.Length:
            seed = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--quick":
            quick = true;
            break;
        case "--option" when i + 1 < args.Length && args[i + 1].Contains('=', StringComparison.Ordinal):
            var pair = args[++i].Split('=', 2);
            options[pair[0]] = pair[1];
            break;
        case "--list":
            foreach (var b in benchmarks)
            {
                Console.WriteLine($"{b.Name,-24} {b.Description}");
            }
            return 0;
        default:
            names.Add(args[i]);
            break;
    }
}

var unknown = names.Where(n => benchmarks.All(b => b.Name != n)).ToList();
if (unknown.Count > 0)
{
    await Console.Error.WriteLineAsync($"unknown benchmark(s): {string.Join(", ", unknown)}; known: {string.Join(", ", benchmarks.Select(b => b.Name))}");
    return 2;
}

var postgres = Environment.GetEnvironmentVariable("SAMSKAPING_POSTGRES");
var rabbit = Environment.GetEnvironmentVariable("SAMSKAPING_RABBITMQ");
var root = Environment.GetEnvironmentVariable("SAMSKAPING_ROOT") ?? Directory.GetCurrentDirectory();
if (string.IsNullOrEmpty(postgres) || string.IsNullOrEmpty(rabbit))
{
    await Console.Error.WriteLineAsync("SAMSKAPING_POSTGRES and SAMSKAPING_RABBITMQ are not set: run it as ./samskaping bench");
    return 2;
}

var context = new BenchmarkContext(postgres, rabbit, root, seed, quick, options);
var selected = names.Count == 0 ? benchmarks : benchmarks.Where(b => names.Contains(b.Name)).ToList();
var reports = new List<BenchmarkReport>();
foreach (var benchmark in selected)
{
    Console.WriteLine($"== {benchmark.Name}: {benchmark.Description}");
    var report = await benchmark.Run(context, CancellationToken.None);
    reports.Add(report);
    Console.WriteLine(Markdown.Table(report));
}

var outDir = Path.Combine(root, ".samskaping", "bench");
Directory.CreateDirectory(outDir);
var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
var machine = Markdown.Machine();
var json = JsonSerializer.Serialize(new { machine, seed, quick, reports }, new JsonSerializerOptions { WriteIndented = true });
await File.WriteAllTextAsync(Path.Combine(outDir, $"bench-{stamp}.json"), json);
var md = new StringBuilder().AppendLine(CultureInfo.InvariantCulture, $"# Samskaping benchmarks {stamp}").AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine}").AppendLine();
foreach (var report in reports)
{
    md.AppendLine(CultureInfo.InvariantCulture, $"## {report.Name}").AppendLine().AppendLine(Markdown.Table(report));
}
await File.WriteAllTextAsync(Path.Combine(outDir, $"bench-{stamp}.md"), md.ToString());
Console.WriteLine($"written: {Path.Combine(outDir, $"bench-{stamp}.json")} and .md");
return 0;

internal static class Markdown
{
    public static string Machine() =>
        $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, " +
        $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";

    public static string Table(BenchmarkReport report)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| measurement | operations | seconds | per second | p50 ms | p99 ms |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var m in report.Measurements)
        {
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {m.Label} | {m.Operations} | {m.Elapsed.TotalSeconds:F2} | {m.PerSecond:F1} | {m.P50Ms:F2} | {m.P99Ms:F2} |");
        }
        foreach (var (name, value) in report.Ratios)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"\nratio {name}: {value:F2}");
        }
        foreach (var note in report.Notes)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"\n{note}");
        }
        return sb.ToString();
    }
}
