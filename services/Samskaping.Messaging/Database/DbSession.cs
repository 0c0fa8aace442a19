using Npgsql;

namespace Samskaping.Messaging.Database;

/// <summary>
/// The one pooled connection a request works on, opened when first asked for and returned to the pool when the
/// request ends. The case-access check, the store's queries and the access-log entry of one request share it, so a
/// case read takes one connection from the pool, not one per step.
/// </summary>
public sealed class DbSession(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    private NpgsqlConnection? _connection;

    public async ValueTask<NpgsqlConnection> Connection(CancellationToken ct)
    {
        if (_connection is null)
        {
            var connection = dataSource.CreateConnection();
            await connection.OpenAsync(ct);
            _connection = connection;
        }
        return _connection;
    }

    /// <summary>A transaction on the request's connection; the caller commits it (or disposes it to roll back).</summary>
    public async ValueTask<NpgsqlTransaction> BeginTransaction(CancellationToken ct) =>
        await (await Connection(ct)).BeginTransactionAsync(ct);

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }
}
