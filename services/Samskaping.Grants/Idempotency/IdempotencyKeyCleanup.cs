using System.ComponentModel.DataAnnotations;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

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
    NpgsqlDataSource dataSource, IOptions<IdempotencyOptions> options, TimeProvider clock, ILogger<IdempotencyKeyCleanup> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var deleted = await DeleteOlderThan(dataSource, options.Value.Keep, clock, stoppingToken);
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

    /// <summary>Deletes keys older than <paramref name="keep"/> on <paramref name="clock"/>; returns how many.</summary>
    public static async Task<int> DeleteOlderThan(NpgsqlDataSource dataSource, TimeSpan keep, TimeProvider clock, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM grants.idempotency_keys WHERE created_at < @before", new { before = clock.GetUtcNow() - keep }, cancellationToken: ct));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} expired idempotency keys")]
    private static partial void LogDeleted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete expired idempotency keys; will try again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
