using System.Globalization;

namespace Samskaping.Bench.Footprint;

/// <summary>
/// (e) Each process's time from start to <c>/health/ready</c> 200 (started alone, on a fresh database, so its
/// migrations are included), and its resident memory (VmRSS) after the system has stood idle.
/// </summary>
public sealed class FootprintBenchmark : IBenchmark
{
    private const double RssGoalMegabytes = 150;
    private const double ReadyGoalSeconds = 3;

    public string Name => "footprint";

    public string Description => "(e) time-to-ready and idle RSS per service";

    public async Task<BenchmarkReport> Run(BenchmarkContext context, CancellationToken ct)
    {
        var system = await context.LiveSystem.Get(ct);
        var idle = TimeSpan.FromSeconds(context.Option("idle-seconds", context.Quick ? 5 : 20));
        Console.WriteLine($"   idle for {idle.TotalSeconds} s before reading RSS");
        await Task.Delay(idle, ct);

        var notes = new List<string>
        {
            "| process | time to ready s | idle RSS MiB |",
            "|---|---:|---:|",
        };
        var goals = new List<Goal>();
        foreach (var process in system.Processes)
        {
            var rss = process.ResidentMegabytes();
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"| {process.Name} | {process.TimeToReady.TotalSeconds:F2} | {rss:F0} |"));
            // The simulator stands in for NAV's system; it is not one of ours to deploy.
            if (process.Name != "nav-simulator")
            {
                goals.Add(new Goal($"{process.Name} idle RSS", rss, AtLeast: false, RssGoalMegabytes, " MiB"));
                goals.Add(new Goal($"{process.Name} time to ready", process.TimeToReady.TotalSeconds, AtLeast: false, ReadyGoalSeconds, " s"));
            }
        }
        notes.Add("Time to ready: process start → first /health/ready 200 (database and broker reachable), each process started alone, " +
            "with a fresh database (so DbUp's migrations are included) and the JIT cold.");
        notes.Add($"RSS: VmRSS from /proc/PID/status after {idle.TotalSeconds} s idle, before any load.");
        return new BenchmarkReport(Name, [], new Dictionary<string, double>(), notes) { Goals = goals };
    }
}
