using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.Messaging.Database;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Messaging;

/// <summary>
/// The commit listener against the real server. Pooled connections go back unreset (<see cref="PooledConnections"/>),
/// so a listener that stops must not leave its connection in the pool still listening.
/// </summary>
public sealed class CommitListenerTests : IAsyncLifetime
{
    private TestDatabase? _database;
    private NpgsqlDataSource? _dataSource;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.Create("listener");
        // One pooled connection, configured as the services configure theirs: whatever the listener leaves on it,
        // the next user of the pool gets.
        var builder = new NpgsqlDataSourceBuilder(_database.ConnectionString);
        builder.ConnectionStringBuilder.MaxPoolSize = 1;
        PooledConnections.Apply(builder.ConnectionStringBuilder, _database.ConnectionString);
        _dataSource = builder.Build();
    }

    [Fact]
    public async Task A_commit_that_notifies_wakes_the_listener_and_a_stopped_listener_leaves_its_connection_not_listening()
    {
        var wakes = 0;
        using var stop = new CancellationTokenSource();
        var listening = CommitListener.Run(_dataSource!, "test_commits", () => Interlocked.Increment(ref wakes),
            TimeSpan.FromMilliseconds(100), TimeProvider.System, NullLogger.Instance, stop.Token);
        await Eventually.True(() => Task.FromResult(Volatile.Read(ref wakes) >= 1), what: "the listener to wake once it has connected");

        await using (var notifier = new NpgsqlConnection(_database!.ConnectionString))
        {
            await notifier.OpenAsync();
            await using var notify = new NpgsqlCommand("BEGIN; SELECT pg_notify('test_commits', 'x'); COMMIT;", notifier);
            await notify.ExecuteNonQueryAsync();
        }
        await Eventually.True(() => Task.FromResult(Volatile.Read(ref wakes) >= 2), what: "the committed notification to wake the listener");

        await stop.CancelAsync();
        await listening;

        await using var next = await _dataSource!.OpenConnectionAsync();
        await using var channels = new NpgsqlCommand("SELECT count(*) FROM pg_listening_channels()", next);
        ((long)(await channels.ExecuteScalarAsync())!).ShouldBe(0L);
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
