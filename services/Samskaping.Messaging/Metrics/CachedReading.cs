using Microsoft.Extensions.Logging;

namespace Samskaping.Messaging.Metrics;

/// <summary>
/// A value behind an observable instrument that is costly to read (a database count, a queue's depth). Observable
/// instruments are read at every collection — each Prometheus replica's scrape, each OTLP export — so the value is
/// read at most once per <see cref="MetricsOptions.ReadingInterval"/> and served from the last reading in between. A
/// failed read serves nothing: a gap in the series says "unknown", a stale number would say "fine".
/// </summary>
public sealed partial class CachedReading<T>(Func<T> read, MetricsOptions options, TimeProvider clock, ILogger logger, string what)
    where T : class
{
    private readonly Lock _lock = new();
    private T? _last;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    /// <summary>The last reading, read again when it is older than the interval; null when the read failed.</summary>
    public T? Current()
    {
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            if (_last is not null && now - _readAt < options.ReadingInterval)
            {
                return _last;
            }
            try
            {
                _last = read();
            }
            catch (Exception e)
            {
                _last = null;
                LogReadFailed(logger, what, e.GetType().Name, e.Message);
            }
            _readAt = now;
            return _last;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metrics: reading {What} failed ({Error}: {Message}); the measurement is left out until it can be read")]
    private static partial void LogReadFailed(ILogger logger, string what, string error, string message);
}
