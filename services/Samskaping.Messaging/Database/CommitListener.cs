using Microsoft.Extensions.Logging;
using Npgsql;

namespace Samskaping.Messaging.Database;

/// <summary>
/// Wakes a background worker when a transaction that NOTIFYs <c>channel</c> commits: LISTENs on one connection,
/// calls <c>wake</c> on every notification and once after each (re)connect (rows committed while nobody listened
/// are then found by the worker's next look), and reconnects after failures, waiting <c>retryDelay</c> between tries.
/// Returns when <c>ct</c> is cancelled. Pooled connections are not reset on their way back to the pool
/// (<see cref="PooledConnections"/>), so the listener stops listening before it lets its connection go.
/// </summary>
public static partial class CommitListener
{
    public static async Task Run(
        NpgsqlDataSource dataSource, string channel, Action wake, TimeSpan retryDelay, TimeProvider clock, ILogger logger, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                connection.Notification += (_, _) => wake();
                await using (var listen = new NpgsqlCommand($"LISTEN {channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }
                wake();
                try
                {
                    while (!ct.IsCancellationRequested)
                    {
                        await connection.WaitAsync(ct);
                    }
                }
                finally
                {
                    await StopListening(connection, channel);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                LogListenFailed(logger, channel, e.GetType().Name, e.Message);
                try
                {
                    await Task.Delay(retryDelay, clock, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private static async Task StopListening(NpgsqlConnection connection, string channel)
    {
        if (connection.FullState != System.Data.ConnectionState.Open)
        {
            return; // broken or closed: the pool discards it, and the session with its LISTEN ends
        }
        try
        {
            await using var unlisten = new NpgsqlCommand($"UNLISTEN {channel}", connection);
            await unlisten.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
        {
            // The connection failed on the way out: Npgsql breaks it, so it never goes back to the pool listening.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listener on {Channel} lost its connection ({ExceptionType}: {Reason}); reconnecting")]
    private static partial void LogListenFailed(ILogger logger, string channel, string exceptionType, string reason);
}
