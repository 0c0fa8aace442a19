using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.Messaging.Bus;
using Samskaping.Messaging.Database;
using Samskaping.Messaging.Outbox;

namespace Samskaping.IntegrationTests.Messaging;

/// <summary>
/// A real host with the messaging building block — migrations, bus on RabbitMQ, outbox relay, inbox — and the
/// consumers a test asks for, like a service without its web part.
/// </summary>
public sealed class MessagingHost : IAsyncDisposable
{
    private readonly IHost _host;

    private MessagingHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public NpgsqlDataSource DataSource => Services.GetRequiredService<NpgsqlDataSource>();

    public OutboxWriter Outbox => Services.GetRequiredService<OutboxWriter>();

    public IBus Bus => Services.GetRequiredService<IBus>();

    public static async Task<MessagingHost> Start(
        TestDatabase database,
        TestVirtualHost virtualHost,
        string serviceName,
        Action<IBusRegistrationConfigurator> consumers,
        int outboxBatchSize = 100)
    {
        MessageTypes.Include(typeof(Probe).Assembly);
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = database.ConnectionString,
            ["ConnectionStrings:RabbitMq"] = virtualHost.AmqpUri,
            ["Outbox:BatchSize"] = outboxBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Outbox:MaxRetryDelay"] = "00:00:01",
            ["Outbox:PublishTimeout"] = "00:00:03",
            ["Messaging:RetryLimit"] = "3",
            ["Metrics:ReadingInterval"] = "00:00:00",
            ["Messaging:DatabaseRetryLimit"] = "8",
            ["Messaging:DatabaseRetryMaxInterval"] = "00:00:00.200",
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddServiceDatabase(typeof(MessagingHost).Assembly);
        builder.AddMessaging(serviceName, consumers);
        var host = builder.Build();
        await host.StartAsync();
        return new MessagingHost(host);
    }

    /// <summary>Enqueues probes in one transaction that commits, or rolls back when <paramref name="commit"/> is false.</summary>
    public async Task Enqueue(IEnumerable<Probe> probes, bool commit = true)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        foreach (var probe in probes)
        {
            await Outbox.Enqueue(probe, tx, CancellationToken.None);
        }
        if (commit)
        {
            await tx.CommitAsync();
        }
        else
        {
            await tx.RollbackAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
