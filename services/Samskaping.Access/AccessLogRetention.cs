using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Samskaping.ServiceDefaults;

namespace Samskaping.Access;

/// <summary>
/// Removes the access-log entries older than the retention period (<see cref="AccessLogRetentionOptions.Years"/>)
/// through <c>access.purge_access_log</c>, the only path the append-only trigger lets a DELETE through, which writes
/// an audit row to <c>access.access_log_purges</c> for every batch that removed something. One batch per
/// transaction, oldest first, until a batch comes back short. It keeps no state of its own: a restart, or two
/// replicas sweeping at once, find what is still past the period. Runs on the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class AccessLogRetention(
    NpgsqlDataSource dataSource, TimeProvider clock, IOptions<AccessLogRetentionOptions> options, ILogger<AccessLogRetention> logger)
    : BackgroundService
{
    public const string PurgedBy = "retention";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodically.Run(options.Value.SweepInterval, clock, RunOnce, e => LogSweepFailed(logger, e), stoppingToken);

    /// <summary>One sweep. Returns the number of entries it removed.</summary>
    public async Task<int> RunOnce(CancellationToken ct)
    {
        var (years, batchSize) = (options.Value.Years, options.Value.BatchSize);
        var before = clock.Now().AddYears(-years);
        var total = 0;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        int batch;
        do
        {
            batch = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                "SELECT access.purge_access_log(@before, @batchSize, @purgedBy)",
                new { before, batchSize, purgedBy = PurgedBy }, cancellationToken: ct));
            total += batch;
        }
        while (batch == batchSize);
        if (total > 0)
        {
            LogSwept(logger, total, years);
        }
        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} access-log entries past the retention period of {Years} years were removed")]
    private static partial void LogSwept(ILogger logger, int count, int years);

    [LoggerMessage(Level = LogLevel.Error, Message = "The access log's retention sweep failed; it runs again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
