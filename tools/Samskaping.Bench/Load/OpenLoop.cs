using System.Diagnostics;

namespace Samskaping.Bench.Load;

/// <summary>
/// A constant-rate, open-loop load: request <c>i</c> is due at <c>i / rate</c> seconds after the start, whether or
/// not earlier requests have answered, and its latency is counted from when it was due, not from when it was sent.
/// A slow server therefore cannot lower the offered load or hide its queueing (no coordinated omission).
/// </summary>
public sealed class OpenLoop(double ratePerSecond, TimeSpan duration)
{
    public double RatePerSecond { get; } = ratePerSecond > 0 ? ratePerSecond : throw new ArgumentOutOfRangeException(nameof(ratePerSecond));

    public int Count { get; } = (int)Math.Floor(duration.TotalSeconds * ratePerSecond);

    /// <summary>When request <paramref name="index"/> is due, as an offset from the start.</summary>
    public TimeSpan DueAt(int index) => TimeSpan.FromSeconds(index / RatePerSecond);

    /// <summary>When request <paramref name="index"/> is due, as a <see cref="Stopwatch"/> timestamp of a run begun at <paramref name="start"/>.</summary>
    public long DueTimestamp(long start, int index) => start + (long)(DueAt(index).TotalSeconds * Stopwatch.Frequency);

    /// <summary>How many requests are due by <paramref name="elapsed"/> (those with index below the result).</summary>
    public int DueBy(TimeSpan elapsed) => Math.Min(Count, (int)Math.Floor(elapsed.TotalSeconds * RatePerSecond) + 1);

    /// <summary>
    /// Sends <see cref="Count"/> requests on schedule. <paramref name="send"/> gets the request's index and returns
    /// null when it succeeded, or why it failed (e.g. the status code); latencies (due → done) of successful requests
    /// go to the result, failures are counted by reason (an exception by its type).
    /// </summary>
    public async Task<OpenLoopResult> Run(Func<int, CancellationToken, Task<string?>> send, CancellationToken ct)
    {
        var latencies = new Latencies();
        var failures = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var inFlight = new List<Task>(Count);
        var start = Stopwatch.GetTimestamp();
        var next = 0;
        while (next < Count)
        {
            var due = DueBy(Stopwatch.GetElapsedTime(start));
            for (; next < due; next++)
            {
                inFlight.Add(One(next));
            }
            if (next < Count)
            {
                var wait = DueAt(next) - Stopwatch.GetElapsedTime(start);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, ct);
                }
            }
        }
        await Task.WhenAll(inFlight);
        return new OpenLoopResult(Count, failures.ToDictionary(), Stopwatch.GetElapsedTime(start), latencies);

        async Task One(int index)
        {
            var dueAt = DueTimestamp(start, index);
            await Task.Yield();
            string? failure;
            try
            {
                failure = await send(index, ct);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                failure = e.GetType().Name;
            }
            if (failure is null)
            {
                latencies.Add(Stopwatch.GetElapsedTime(dueAt).TotalMilliseconds);
            }
            else
            {
                failures.AddOrUpdate(failure, 1, (_, n) => n + 1);
            }
        }
    }
}

/// <summary>What an open-loop run did: requests sent, failures by reason, wall time, and the latencies of the rest.</summary>
public sealed record OpenLoopResult(int Sent, IReadOnlyDictionary<string, int> Failures, TimeSpan Elapsed, Latencies Latencies)
{
    public int Failed => Failures.Values.Sum();

    public string DescribeFailures() => string.Join(", ", Failures.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Value} × {f.Key}"));
}
