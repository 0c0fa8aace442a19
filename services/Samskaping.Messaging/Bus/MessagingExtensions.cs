using System.Diagnostics;
using System.Reflection;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Samskaping.Messaging.Database;
using MassTransit.Configuration;
using Samskaping.Messaging.Faults;
using Samskaping.Messaging.Inbox;
using Samskaping.Messaging.Outbox;
using Samskaping.ServiceDefaults;

namespace Samskaping.Messaging.Bus;

public static class MessagingExtensions
{
    /// <summary>
    /// The service's own PostgreSQL database: an <see cref="NpgsqlDataSource"/>, migrations from
    /// <paramref name="migrations"/> (plus the outbox and inbox tables) applied at start-up, a readiness check, and the
    /// request's <see cref="DbSession"/>.
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
            PooledConnections.Apply(dataSource.ConnectionStringBuilder, options.ConnectionString);
            // Trace SQL only inside a request or a consumer: the outbox relay's polling would otherwise fill the
            // dashboard with a root trace every few seconds.
            dataSource.ConfigureTracing(t => t
                .ConfigureCommandFilter(_ => Activity.Current is not null)
                .ConfigureBatchFilter(_ => Activity.Current is not null));
            return dataSource.Build();
        });
        builder.Services.AddScoped<DbSession>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [Extensions.ReadyTag]);
        return builder;
    }

    /// <summary>
    /// MassTransit over RabbitMQ for service <paramref name="serviceName"/>: one quorum queue named after the
    /// service for all its consumers (error queue <c>{service}_error</c>), one retry around each delivery, one inbox
    /// transaction per delivery shared by the consumers, and the outbox relay. Call after <see cref="AddServiceDatabase"/>.
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
            // One receive endpoint (queue) per service for all its consumers: a message reaches a service once, and
            // the service's consumers of it share one inbox transaction (InboxFilter) — instead of a queue, a
            // delivery and a transaction per consumer (./samskaping bench case-events, docs/performance.md).
            bus.SetEndpointNameFormatter(new ServiceEndpointNameFormatter(serviceName));
            consumers(bus);

            // Retry and redelivery are decided once here, for every endpoint of every service.
            bus.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                var options = context.GetRequiredService<IOptions<MessagingOptions>>().Value;
                if (options.DelayedRedelivery)
                {
                    endpoint.UseDelayedRedelivery(r => r.Intervals(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30)));
                }
                // Before the message-type router, so once per delivery: the retry, then the delivery's transaction
                // for all the service's consumers. Any failure rolls every consumer's effect back and the next
                // attempt starts clean for all, on a fresh connection.
                //
                // A database restart or failover takes seconds, longer than the quick retries last (about 3 s): a
                // delivery that cannot reach the database waits for it instead (outer retry, DatabaseRetryLimit
                // attempts up to DatabaseRetryMaxInterval apart, about a minute by default), and only other failures
                // use the quick retries and then the error queue (./samskaping chaos --scenario postgres-restart).
                var whileUnreachable = new ConsumeContextRetryPipeSpecification();
                whileUnreachable.Handle<Exception>(DatabaseErrors.Unavailable);
                var firstWait = TimeSpan.FromMilliseconds(Math.Min(250, options.DatabaseRetryMaxInterval.TotalMilliseconds));
                whileUnreachable.Exponential(options.DatabaseRetryLimit, firstWait, options.DatabaseRetryMaxInterval, firstWait);
                endpoint.AddPrePipeSpecification(whileUnreachable);
                var retry = new ConsumeContextRetryPipeSpecification();
                retry.Ignore<Exception>(DatabaseErrors.Unavailable);
                retry.Exponential(options.RetryLimit, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
                endpoint.AddPrePipeSpecification(retry);
                endpoint.AddPrePipeSpecification(new FilterPipeSpecification<ConsumeContext>(new InboxFilter(
                    context.GetRequiredService<NpgsqlDataSource>(), context.GetRequiredService<MessageFaults>())));
                endpoint.ConcurrentMessageLimit = options.ConcurrentMessages;
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.PrefetchCount = options.ConcurrentMessages;
                    if (options.QuorumQueues)
                    {
                        rabbit.SetQuorumQueue();
                    }
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

/// <summary>Names every consumer's endpoint after the service, so all of a service's consumers share one queue.</summary>
internal sealed class ServiceEndpointNameFormatter : KebabCaseEndpointNameFormatter
{
    private readonly string _queue;

    public ServiceEndpointNameFormatter(string serviceName)
        : base(serviceName, includeNamespace: false) => _queue = serviceName;

    public override string Consumer<T>() => _queue;
}
