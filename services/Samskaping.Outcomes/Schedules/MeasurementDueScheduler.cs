using Microsoft.Extensions.Options;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Outcomes.Schedules;

/// <summary>
/// Announces measurements that have become due (<c>MeasurementDue</c>), on the injected clock. Each measurement is
/// announced exactly once: the flag and the outbox row are written in one transaction (see <see cref="ScheduleStore.AnnounceDue"/>).
/// </summary>
public sealed partial class MeasurementDueScheduler(
    ScheduleStore schedules,
    OutboxWriter outbox,
    TimeProvider clock,
    IOptions<ScheduleOptions> options,
    ILogger<MeasurementDueScheduler> logger) : BackgroundService
{
    private const int BatchSize = 200;

    /// <summary>One pass: announces everything due now, in batches. Returns how many were announced.</summary>
    public async Task<int> RunOnce(CancellationToken ct)
    {
        var total = 0;
        int announced;
        do
        {
            announced = await schedules.AnnounceDue(outbox, BatchSize, ct);
            total += announced;
        }
        while (announced == BatchSize);
        return total;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodically.Run(options.Value.ScanInterval, clock, async ct =>
        {
            var announced = await RunOnce(ct);
            if (announced > 0)
            {
                LogAnnounced(logger, announced);
            }
        }, e => LogScanFailed(logger, e.GetType().Name, e.Message), stoppingToken, e => e is Npgsql.NpgsqlException or TimeoutException);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} measurements became due and were announced")]
    private static partial void LogAnnounced(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for due measurements failed ({ExceptionType}: {Reason}); trying again at the next scan")]
    private static partial void LogScanFailed(ILogger logger, string exceptionType, string reason);
}
