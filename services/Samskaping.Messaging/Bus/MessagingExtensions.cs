using System.Diagnostics;
using System.Reflection;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Samskaping.Messaging.Database;
using Samskaping.Messaging.Faults;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Messaging.Bus;

public static class MessagingExtensions
{
    /// <summary>
    /// The service's own PostgreSQL database: an <see cref="NpgsqlDataSource"/>, migrations from
    /// <paramref name="migrations"/> (plus the outbox and inbox tables) applied at start-up, and a readiness check.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase(this IHostApplicationBuilder builder, Assembly migrations)
    {
        var registered = builder.Services.Select(d => d.ImplementationInstance).OfType<MigrationAssemblies>().FirstOrDefault();
        if (registered is not null)
        {
            // The database is set up already (by the service or another building block); add only these migrations.
            registered.Add(migrations);
            return builder;
        }

        var assemblies = new MigrationAssemblies();
        assemblies.Add(migrations);
        builder.Services.AddSingleton(assemblies);
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .Configure<IConfiguration>((o, config) => o.ConnectionString = config.GetConnectionString("Database") ?? o.ConnectionString)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Registered before the bus and the relay: hosted services start in order, and both need the schema.
        builder.Services.AddHostedService<DatabaseMigrator>();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var dataSource = new NpgsqlDataSourceBuilder(options.ConnectionString);
            dataSource.ConnectionStringBuilder.ApplicationName ??= builder.Environment.ApplicationName;
            // Trace SQL only inside a request or a consumer: the outbox relay's polling would otherwise fill the
            // dashboard with a root trace every few seconds.
            dataSource.ConfigureTracing(t => t
                .ConfigureCommandFilter(_ => Activity.Current is not null)
                .ConfigureBatchFilter(_ => Activity.Current is not null));
            return dataSource.Build();
        });
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [Extensions.ReadyTag]);
        return builder;
    }

    /// <summary>
    /// MassTransit over RabbitMQ for service <paramref name="serviceName"/>: queues named
    /// <c>{service}-{consumer}</c>, quorum queues, one retry policy for every endpoint, error queues, the
    /// outbox relay and the inbox. Call after <see cref="AddServiceDatabase"/>.
    /// </summary>
    public static IHostApplicationBuilder AddMessaging(
        this IHostApplicationBuilder builder,
        string serviceName,
        Action<IBusRegistrationConfigurator> consumers)
    {
        builder.Services.AddOptions<MessagingOptions>()
            .BindConfiguration(MessagingOptions.Section)
            .Configure<IConfiguration>((o, config) => o.RabbitMq = config.GetConnectionString("RabbitMq") ?? o.RabbitMq)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<OutboxOptions>()
            .BindConfiguration(OutboxOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false));
            consumers(bus);

            // Retry and redelivery are decided once here, for every endpoint of every service.
            bus.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                var options = context.GetRequiredService<IOptions<MessagingOptions>>().Value;
                if (options.DelayedRedelivery)
                {
                    endpoint.UseDelayedRedelivery(r => r.Intervals(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30)));
                }
                endpoint.UseMessageRetry(r => r.Exponential(options.RetryLimit, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100)));
                if (options.QuorumQueues && endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.SetQuorumQueue();
                }
            });

            bus.UsingRabbitMq((context, cfg) =>
            {
                var options = context.GetRequiredService<IOptions<MessagingOptions>>().Value;
                cfg.Host(new Uri(options.RabbitMq), h => h.ConnectionName(serviceName));
                cfg.ConfigureEndpoints(context);
            });
        });
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(60);
            o.StopTimeout = TimeSpan.FromSeconds(15);
        });

        // Fault injection for ./samskaping chaos: off unless configured, refused in Production.
        builder.Services.AddOptions<FaultOptions>()
            .BindConfiguration(FaultOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<FaultOptions>, FaultOptions.Validator>();
        builder.Services.AddSingleton<MessageFaults>();

        builder.Services.AddSingleton<Outbox.Outbox>();
        builder.Services.AddSingleton<Inbox.Inbox>();
        builder.Services.AddHostedService<OutboxRelay>();
        return builder;
    }
}
