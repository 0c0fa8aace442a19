using System.Net.Http.Headers;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.IntegrationTests.Messaging;
using Samskaping.Messaging.Bus;
using Samskaping.Messaging.Database;
using Samskaping.Messaging.Outbox;
using Samskaping.Messaging.Replay;
using Samskaping.ServiceDefaults;

namespace Samskaping.IntegrationTests.Operations;

/// <summary>
/// A service as the five are built — service defaults (tokens, policies, problem details), its database, the bus on
/// RabbitMQ with the consumers a test asks for, and the messaging admin API — on the real database and broker.
/// </summary>
public sealed class MessagingAdminHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MessagingAdminHost(WebApplication app, string service)
    {
        _app = app;
        Service = service;
    }

    public string Service { get; }

    public IServiceProvider Services => _app.Services;

    public IBus Bus => Services.GetRequiredService<IBus>();

    public static async Task<MessagingAdminHost> Start(
        TestDatabase database, TestVirtualHost virtualHost, string service, Action<IBusRegistrationConfigurator> consumers)
    {
        MessageTypes.Include(typeof(Probe).Assembly);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        var settings = TestEnvironment.ProcessSettings();
        settings["ConnectionStrings:Database"] = database.ConnectionString;
        settings["ConnectionStrings:RabbitMq"] = virtualHost.AmqpUri;
        settings["Messaging:RetryLimit"] = "2";
        settings["Outbox:PollInterval"] = "00:00:01";
        settings["Metrics:ReadingInterval"] = "00:00:00";
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults();
        builder.AddServiceDatabase(typeof(MessagingAdminHost).Assembly);
        builder.AddMessaging(service, consumers);
        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapMessagingAdminApi();
        await app.StartAsync();
        return new MessagingAdminHost(app, service);
    }

    /// <summary>A client of the admin API with a token of <paramref name="role"/>.</summary>
    public HttpClient Client(string role = Roles.Admin, string sector = "oppvekst", string subject = "operator-1")
    {
        var client = _app.GetTestClient();
        client.BaseAddress = new Uri(client.BaseAddress!, $"/api/{Service}/admin/messaging/");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For(sector, role, subject));
        return client;
    }

    /// <summary>Enqueues a probe through the outbox; <paramref name="beforeCommit"/> runs in its transaction.</summary>
    public async Task Enqueue(Probe probe, Func<NpgsqlTransaction, Task>? beforeCommit = null)
    {
        await using var connection = await Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await Services.GetRequiredService<OutboxWriter>().Enqueue(probe, tx, CancellationToken.None);
        if (beforeCommit is not null)
        {
            await beforeCommit(tx);
        }
        await tx.CommitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
