using System.Diagnostics;
using Samskaping.Bench.Load;

namespace Samskaping.Bench.Disbursements;

/// <summary>
/// A closed loop of <c>clients</c> concurrent clients, each starting its next operation when the last one ends: the
/// contended shape of the disbursements benchmark, where the rate is what the contention lets through.
/// </summary>
internal static class ClosedLoop
{
    /// <summary>
    /// Runs <paramref name="operation"/> once per client to warm connections, pools and plans (not counted), then over
    /// and over until <paramref name="duration"/> is up; each operation adds its own latency to the
    /// <see cref="Latencies"/> it is given when it succeeds.
    /// </summary>
    public static async Task<(Latencies Latencies, TimeSpan Elapsed)> Run(
        int clients, TimeSpan duration, Func<Latencies, Task> operation, CancellationToken ct)
    {
        var warmUp = new Latencies();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => operation(warmUp)));
        var latencies = new Latencies();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                await operation(latencies);
            }
        }, ct)));
        clock.Stop();
        return (latencies, clock.Elapsed);
    }
}
