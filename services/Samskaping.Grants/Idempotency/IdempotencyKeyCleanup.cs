using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Samskaping.Grants.Idempotency;

public sealed class IdempotencyOptions
{
    public const string Section = "Grants:Idempotency";

    /// <summary>How long an answer is kept for retries: at least 24 hours (the promise callers rely on).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "90.00:00:00")]
    public TimeSpan Keep { get; set; } = TimeSpan.FromHours(48);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Deletes idempotency keys older than <see cref="IdempotencyOptions.Keep"/>, on the injected clock.</summary>
public sealed partial class IdempotencyKeyCleanup(
    IdempotentRequests requests, IOptions<IdempotencyOptions> options, TimeProvider clock, ILogger<IdempotencyKeyCleanup> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var deleted = await requests.DeleteOlderThan(options.Value.Keep, stoppingToken);
                if (deleted > 0)
                {
                    LogDeleted(logger, deleted);
                }
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
            {
                LogFailed(logger, e);
            }
            try
            {
                await Task.Delay(options.Value.CleanupInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} expired idempotency keys")]
    private static partial void LogDeleted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete expired idempotency keys; will try again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
