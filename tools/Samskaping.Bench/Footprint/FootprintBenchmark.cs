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

        var first = system.Processes.Select(p => (p.Name, p.TimeToReady, Rss: p.Resident())).ToList();

        // A restart is what a deployment does most (rolling update, scale-out, crash): database and queues exist.
        var restarted = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        if (context.Option("restart", 1) == 1)
        {
            foreach (var name in first.Select(p => p.Name).Where(n => n != "nav-simulator"))
            {
                var process = await system.Restart(name, ct);
                restarted[name] = process.TimeToReady;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {name,-14} restarted, ready after {process.TimeToReady.TotalSeconds:F2} s"));
            }
        }

        var notes = new List<string>
        {
            "| process | first start: time to ready s | restart: time to ready s | idle RSS MiB | of it anonymous | of it file-backed | of it shared memory |",
            "|---|---:|---:|---:|---:|---:|---:|",
        };
        var goals = new List<Goal>();
        foreach (var (name, timeToReady, rss) in first)
        {
            var restart = restarted.TryGetValue(name, out var r) ? r.TotalSeconds : double.NaN;
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {timeToReady.TotalSeconds:F2} | {restart:F2} | {rss.Total:F0} | {rss.Anonymous:F0} | {rss.FileBacked:F0} | {rss.Shared:F0} |"));
            // The simulator stands in for NAV's system; it is not one of ours to deploy.
            if (name != "nav-simulator")
            {
                goals.Add(new Goal($"{name} idle RSS", rss.Total, AtLeast: false, RssGoalMegabytes, " MiB"));
                goals.Add(new Goal($"{name} time to ready, first start", timeToReady.TotalSeconds, AtLeast: false, ReadyGoalSeconds, " s"));
                if (!double.IsNaN(restart))
                {
                    goals.Add(new Goal($"{name} time to ready, restart", restart, AtLeast: false, ReadyGoalSeconds, " s"));
                }
            }
        }
        notes.Add("Time to ready: process start → first /health/ready 200 (database and broker reachable), each process started alone, " +
            "first with a fresh database (so creating it and DbUp's migrations are included), then restarted once with database and queues in place; the JIT cold both times.");
        notes.Add($"RSS: VmRSS from /proc/PID/status after {idle.TotalSeconds} s idle, before any load; split into RssAnon (heaps, stacks), " +
            "RssFile (mapped assemblies with their ReadyToRun code, shareable between processes started from the same files) and RssShmem " +
            "(the JIT's code and stubs, double-mapped through shared memory for W^X).");
        return new BenchmarkReport(Name, [], new Dictionary<string, double>(), notes) { Goals = goals };
    }
}
