using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Samskaping.Messaging.Bus;

namespace Samskaping.Messaging.Metrics;

/// <summary>
/// The message count of the service's error queue (<c>{service}_error</c>), by a passive declare on a connection of its
/// own: it needs only the service's own broker user, not the management API. A queue that does not exist yet (nothing
/// ever failed) holds no message.
/// </summary>
public sealed class ErrorQueueDepth(string serviceName, IOptions<MessagingOptions> options) : IAsyncDisposable
{
    public sealed record Reading(long Messages);

    private readonly SemaphoreSlim _connecting = new(1, 1);
    private IConnection? _connection;

    public string Queue { get; } = serviceName + "_error";

    public Reading Read() => ReadAsync(CancellationToken.None).GetAwaiter().GetResult();

    private async Task<Reading> ReadAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var connection = await Connection(timeout.Token);
        // A passive declare of a missing queue closes its channel (404): one channel per reading.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: timeout.Token);
        try
        {
            var queue = await channel.QueueDeclarePassiveAsync(Queue, timeout.Token);
            return new Reading(queue.MessageCount);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return new Reading(0);
        }
    }

    private async Task<IConnection> Connection(CancellationToken ct)
    {
        await _connecting.WaitAsync(ct);
        try
        {
            if (_connection is { IsOpen: true })
            {
                return _connection;
            }
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
            }
            var factory = new ConnectionFactory { Uri = new Uri(options.Value.RabbitMq), ClientProvidedName = Queue + "-depth" };
            _connection = await factory.CreateConnectionAsync(ct);
            return _connection;
        }
        finally
        {
            _connecting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
        _connecting.Dispose();
    }
}
