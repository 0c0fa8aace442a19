using System.Globalization;
using System.Text;
using System.Text.Json;
using Samskaping.Bench;
using Samskaping.Bench.SystemUnderTest;

// ./samskaping bench [NAME ...] [--seed N] [--quick] [--option key=value ...]   (e.g. case-events --option rates=50 --option seconds=30)
// Runs the named benchmarks (all when none is named, in the order below), prints a table and the goals met or
// missed, and writes JSON and Markdown under .samskaping/bench/. Benchmarks that need the running system share one,
// started in Release on first use and stopped at the end, also on failure or Ctrl-C.

var benchmarks = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBenchmark).IsAssignableFrom(t))
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => RunOrder.IndexOf(b.Name) is var i and >= 0 ? i : int.MaxValue)
    .ThenBy(b => b.Name, StringComparer.Ordinal)
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
var management = Environment.GetEnvironmentVariable("SAMSKAPING_RABBITMQ_MANAGEMENT");
var root = Environment.GetEnvironmentVariable("SAMSKAPING_ROOT") ?? Directory.GetCurrentDirectory();
if (string.IsNullOrEmpty(postgres) || string.IsNullOrEmpty(rabbit) || string.IsNullOrEmpty(management))
{
    await Console.Error.WriteLineAsync("SAMSKAPING_POSTGRES, SAMSKAPING_RABBITMQ and SAMSKAPING_RABBITMQ_MANAGEMENT are not set: run it as ./samskaping bench");
    return 2;
}

var outDir = Path.Combine(root, ".samskaping", "bench");
var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
var published = Environment.GetEnvironmentVariable("SAMSKAPING_BENCH_PUBLISHED");
var environment = new BenchmarkEnvironment(postgres, rabbit, new Uri(management), root, Path.Combine(outDir, $"logs-{stamp}"),
    string.IsNullOrEmpty(published) ? null : published);
await using var system = new RunningSystem(environment);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Let the run unwind and stop the processes it started, instead of dying with them still running.
    e.Cancel = true;
    cancel.Cancel();
};

var context = new BenchmarkContext(postgres, rabbit, root, seed, quick, options) { LiveSystem = system };
var selected = names.Count == 0 ? benchmarks : benchmarks.Where(b => names.Contains(b.Name)).ToList();
var machineAtStart = await Machine.Describe(environment, CancellationToken.None);
var reports = new List<BenchmarkReport>();
var failures = new List<string>();
for (var index = 0; index < selected.Count; index++)
{
    var benchmark = selected[index];
    if (!selected.Skip(index).Any(b => UsesSystem.Contains(b.Name)))
    {
        // The rest bring their own scratch databases: the idle system would only take memory and CPU from them.
        await system.DisposeAsync();
    }
    Console.WriteLine($"== {benchmark.Name}: {benchmark.Description}");
    try
    {
        var report = await benchmark.Run(context, cancel.Token);
        reports.Add(report);
        Console.WriteLine(Markdown.Table(report));
    }
    catch (OperationCanceledException) when (cancel.IsCancellationRequested)
    {
        failures.Add($"{benchmark.Name}: cancelled");
        break;
    }
    catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TimeoutException or Npgsql.NpgsqlException
        or FileNotFoundException or OperationCanceledException)
    {
        // One benchmark failing still leaves the others' numbers, and says so in the report.
        failures.Add($"{benchmark.Name}: {e.GetType().Name}: {e.Message}");
        await Console.Error.WriteLineAsync($"   {benchmark.Name} failed: {e.Message}");
    }
}
await system.DisposeAsync();
var loadAtEnd = Machine.LoadAverage();

Directory.CreateDirectory(outDir);
var machine = machineAtStart with { LoadAverageAtEnd = loadAtEnd };
var goals = reports.SelectMany(r => r.Goals.Select(g => (Benchmark: r.Name, Goal: g))).ToList();
var json = JsonSerializer.Serialize(new
{
    machine,
    seed,
    quick,
    reports = reports.Select(r => new { r.Name, r.Measurements, r.Ratios, r.Notes, Goals = r.Goals.Select(g => new { g.Name, g.Value, g.AtLeast, g.Target, g.Unit, g.Met }) }),
    failures,
}, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });
await File.WriteAllTextAsync(Path.Combine(outDir, $"bench-{stamp}.json"), json);
var md = new StringBuilder().AppendLine(CultureInfo.InvariantCulture, $"# Samskaping benchmarks {stamp}").AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"Command: `./samskaping bench {string.Join(' ', args)}`").AppendLine()
    .AppendLine(machine.ToMarkdown()).AppendLine();
if (goals.Count > 0)
{
    md.AppendLine("## Goals").AppendLine();
    foreach (var (benchmark, goal) in goals)
    {
        md.AppendLine(CultureInfo.InvariantCulture, $"- {benchmark}: {goal}");
    }
    md.AppendLine();
}
foreach (var report in reports)
{
    md.AppendLine(CultureInfo.InvariantCulture, $"## {report.Name}").AppendLine().AppendLine(Markdown.Table(report));
}
foreach (var failure in failures)
{
    md.AppendLine(CultureInfo.InvariantCulture, $"- FAILED {failure}");
}
await File.WriteAllTextAsync(Path.Combine(outDir, $"bench-{stamp}.md"), md.ToString());

Console.WriteLine();
Console.WriteLine(machine.ToMarkdown());
foreach (var report in reports)
{
    foreach (var (name, value) in report.Ratios)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio {report.Name}: {name} = {value:0.###}"));
    }
}
foreach (var (benchmark, goal) in goals)
{
    Console.WriteLine($"goal  {benchmark}: {goal}");
}
foreach (var failure in failures)
{
    Console.WriteLine($"FAILED {failure}");
}
Console.WriteLine($"written: {Path.Combine(outDir, $"bench-{stamp}.json")} and .md; process logs in {environment.LogDirectory}");
return failures.Count == 0 ? 0 : 1;

internal static partial class Program
{
    /// <summary>
    /// The default order: footprint first, while the system is still idle and cold; then the loads through the
    /// running system; then the benchmarks that bring their own scratch databases.
    /// </summary>
    private static readonly List<string> RunOrder = ["footprint", "case-read", "case-events", "disbursements", "growth", "outcomes-report", "workspace"];

    /// <summary>The benchmarks that measure the running system (<see cref="BenchmarkContext.LiveSystem"/>).</summary>
    private static readonly HashSet<string> UsesSystem = new(StringComparer.Ordinal) { "footprint", "case-read", "case-events", "disbursements", "growth" };
}

internal static class Markdown
{
    public static string Table(BenchmarkReport report)
    {
        var sb = new StringBuilder();
        if (report.Measurements.Count > 0)
        {
            sb.AppendLine("| measurement | operations | seconds | per second | p50 ms | p99 ms |");
            sb.AppendLine("|---|---:|---:|---:|---:|---:|");
        }
        foreach (var m in report.Measurements)
        {
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {m.Label} | {m.Operations} | {m.Elapsed.TotalSeconds:F2} | {m.PerSecond:F1} | {m.P50Ms:F2} | {m.P99Ms:F2} |");
        }
        foreach (var (name, value) in report.Ratios)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"\nratio {name}: {value:F2}");
        }
        if (report.Goals.Count > 0)
        {
            sb.AppendLine();
        }
        foreach (var goal in report.Goals)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- goal {goal}");
        }
        var inTable = false;
        foreach (var note in report.Notes)
        {
            // Notes that are table rows stay together; prose notes are paragraphs.
            var isRow = note.StartsWith('|');
            sb.AppendLine(isRow && inTable ? note : "\n" + note);
            inTable = isRow;
        }
        return sb.ToString();
    }
}
