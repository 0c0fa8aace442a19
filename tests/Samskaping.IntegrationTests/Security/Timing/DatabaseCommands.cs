using System.Collections.Concurrent;
using System.Diagnostics;

namespace Samskaping.IntegrationTests.Security.Timing;

/// <summary>
/// The database commands one request made, in any service: Npgsql's own spans (ActivitySource "Npgsql"), kept for
/// the trace ids a test asked to follow. The gateway passes the caller's <c>traceparent</c> on, so every command a
/// request causes carries the trace id the test chose for it.
/// </summary>
public sealed class DatabaseCommands : IDisposable
{
    private readonly ConcurrentDictionary<ActivityTraceId, ConcurrentQueue<(DateTime Start, string Text)>> _followed = new();
    private readonly ActivityListener _listener;

    public DatabaseCommands()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>A new trace id whose commands are kept, and the <c>traceparent</c> header value that starts it.</summary>
    public (ActivityTraceId TraceId, string TraceParent) Follow()
    {
        var traceId = ActivityTraceId.CreateRandom();
        _followed[traceId] = new ConcurrentQueue<(DateTime, string)>();
        return (traceId, $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
    }

    /// <summary>The text of every command of the trace, in the order they started; the trace is no longer followed.</summary>
    public IReadOnlyList<string> Take(ActivityTraceId traceId) =>
        _followed.TryRemove(traceId, out var commands) ? [.. commands.OrderBy(c => c.Start).Select(c => c.Text)] : [];

    public void Dispose() => _listener.Dispose();

    private void Record(Activity activity)
    {
        if (_followed.TryGetValue(activity.TraceId, out var commands))
        {
            commands.Enqueue((activity.StartTimeUtc, activity.GetTagItem("db.query.text") as string ?? activity.DisplayName));
        }
    }
}
