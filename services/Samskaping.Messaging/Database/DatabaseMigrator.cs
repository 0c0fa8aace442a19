using DbUp;
using DbUp.Engine.Output;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Samskaping.Messaging.Database;

/// <summary>
/// Applies the versioned SQL migrations (the building blocks' and the service's own embedded
/// <c>Migrations/*.sql</c>) with DbUp before anything else starts. Replicas starting together take turns
/// through a PostgreSQL advisory lock, so a migration never runs twice at once.
/// </summary>
internal sealed partial class DatabaseMigrator(
    IOptions<DatabaseOptions> options,
    MigrationAssemblies assemblies,
    ILogger<DatabaseMigrator> logger) : IHostedService
{
    private const long MigrationLockKey = 0x5A4D5347; // "SMSG": any constant shared by every replica of a service

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var connectionString = options.Value.ConnectionString;
        if (options.Value.CreateIfMissing)
        {
            await CreateDatabaseIfMissing(connectionString, cancellationToken);
        }

        // Not pooled: the session-level lock must end with this connection, never linger in a pool.
        var lockConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, CommandTimeout = 0 }.ConnectionString;
        await using var lockConnection = new NpgsqlConnection(lockConnectionString);
        await lockConnection.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", lockConnection))
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        DbUp.Engine.DatabaseUpgradeResult result;
        try
        {
            result = DeployChanges.To
                .PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssemblies([.. assemblies.All], name => name.Contains(".Migrations.", StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
                .WithTransactionPerScript()
                .LogTo(new DbUpLog(logger))
                .Build()
                .PerformUpgrade();
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLockKey})", lockConnection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }

        if (!result.Successful)
        {
            throw new InvalidOperationException($"Database migration {result.ErrorScript?.Name} failed: {result.Error.Message}", result.Error);
        }
        var applied = result.Scripts.Count();
        LogMigrated(logger, applied);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task CreateDatabaseIfMissing(string connectionString, CancellationToken ct)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", target.Database!);
        if (await exists.ExecuteScalarAsync(ct) is not null)
        {
            return;
        }
        try
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{target.Database!.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another replica created it first.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database is up to date ({Applied} new migrations applied)")]
    private static partial void LogMigrated(ILogger logger, int applied);

    [LoggerMessage(Level = LogLevel.Information, Message = "Migration: {Text}")]
    private static partial void LogMigration(ILogger logger, string text);

    [LoggerMessage(Level = LogLevel.Error, Message = "Migration failed: {Text}")]
    private static partial void LogMigrationError(ILogger logger, Exception? exception, string text);

    private sealed class DbUpLog(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) { }

        public void LogDebug(string format, params object[] args) { }

        public void LogInformation(string format, params object[] args) => LogMigration(logger, Format(format, args));

        public void LogWarning(string format, params object[] args) => LogMigration(logger, Format(format, args));

        public void LogError(string format, params object[] args) => LogMigrationError(logger, null, Format(format, args));

        public void LogError(Exception ex, string format, params object[] args) => LogMigrationError(logger, ex, Format(format, args));

        private static string Format(string format, object[] args) =>
            string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args);
    }
}
