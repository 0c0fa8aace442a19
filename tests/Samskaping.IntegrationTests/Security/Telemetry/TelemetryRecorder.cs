using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Samskaping.IntegrationTests.Security.Telemetry;

/// <summary>
/// Everything a process logged, as text: category, formatted message, every structured value of the state, every
/// scope's values, and the exception with its inner exceptions — whatever an exporter could ship.
/// </summary>
public sealed class RecordedLogs(string process) : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(process + " " + categoryName, Lines);

    public void Dispose()
    {
    }

    internal static string Describe(object? state)
    {
        var text = new StringBuilder(state?.ToString());
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (key, value) in pairs)
            {
                text.Append(" | ").Append(key).Append('=').Append(ValueText(value));
            }
        }
        return text.ToString();
    }

    internal static string ValueText(object? value) => value switch
    {
        null => "",
        string s => s,
        IEnumerable items and not IDictionary => string.Join(",", items.Cast<object?>().Select(ValueText)),
        IDictionary map => string.Join(",", map.Keys.Cast<object?>().Select(k => $"{k}={ValueText(map[k!])}")),
        _ => value.ToString() ?? "",
    };

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            // A scope's values travel with every line written inside it: record them once, when the scope opens.
            lines.Enqueue($"scope {category}: {Describe(state)}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category} [{eventId}]: {formatter(state, exception)} || {Describe(state)} || {exception}");
    }
}

/// <summary>Every activity (span) stopped in this process, with all data recorded, as text: names, tags, events, links, baggage.</summary>
public sealed class RecordedSpans : IDisposable
{
    private readonly ActivityListener _listener;

    public RecordedSpans()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => Spans.Enqueue(Describe(activity)),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public ConcurrentQueue<string> Spans { get; } = new();

    public static string Describe(Activity activity)
    {
        var text = new StringBuilder()
            .Append(activity.Source.Name).Append(" | ").Append(activity.OperationName).Append(" | ").Append(activity.DisplayName)
            .Append(" | status=").Append(activity.Status).Append(' ').Append(activity.StatusDescription);
        foreach (var (key, value) in activity.TagObjects)
        {
            text.Append(" | ").Append(key).Append('=').Append(RecordedLogs.ValueText(value));
        }
        foreach (var e in activity.Events)
        {
            text.Append(" | event ").Append(e.Name);
            foreach (var (key, value) in e.Tags)
            {
                text.Append(' ').Append(key).Append('=').Append(RecordedLogs.ValueText(value));
            }
        }
        foreach (var link in activity.Links)
        {
            foreach (var (key, value) in link.Tags ?? [])
            {
                text.Append(" | link ").Append(key).Append('=').Append(RecordedLogs.ValueText(value));
            }
        }
        foreach (var (key, value) in activity.Baggage)
        {
            text.Append(" | baggage ").Append(key).Append('=').Append(value);
        }
        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();
}

/// <summary>
/// Every metric measurement of every meter in this process, as text: meter, instrument and each tag with its value.
/// Each distinct text is kept once (the values measured do not matter, only what a tag could carry).
/// </summary>
public sealed class RecordedMetrics : IDisposable
{
    private readonly MeterListener _listener = new();

    public RecordedMetrics()
    {
        _listener.InstrumentPublished = (instrument, listener) => listener.EnableMeasurementEvents(instrument);
        _listener.SetMeasurementEventCallback<byte>((i, _, tags, _) => Record(i, tags));
        _listener.SetMeasurementEventCallback<short>((i, _, tags, _) => Record(i, tags));
        _listener.SetMeasurementEventCallback<int>((i, _, tags, _) => Record(i, tags));
        _listener.SetMeasurementEventCallback<long>((i, _, tags, _) => Record(i, tags));
        _listener.SetMeasurementEventCallback<float>((i, _, tags, _) => Record(i, tags));
        _listener.SetMeasurementEventCallback<double>((i, _, tags, _) => Record(i, tags));
        _listener.SetMeasurementEventCallback<decimal>((i, _, tags, _) => Record(i, tags));
        _listener.Start();
    }

    public ConcurrentDictionary<string, bool> Tags { get; } = new();

    /// <summary>Every tag set recorded so far, observable instruments (gauges) read once more first.</summary>
    public IReadOnlyCollection<string> Texts()
    {
        _listener.RecordObservableInstruments();
        return [.. Tags.Keys];
    }

    private void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var text = new StringBuilder().Append(instrument.Meter.Name).Append(" | ").Append(instrument.Name);
        foreach (var (key, value) in tags)
        {
            text.Append(" | ").Append(key).Append('=').Append(RecordedLogs.ValueText(value));
        }
        Tags.TryAdd(text.ToString(), true);
    }

    public void Dispose() => _listener.Dispose();
}
