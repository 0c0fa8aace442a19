using MassTransit;
using MassTransit.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Samskaping.Contracts;
using Samskaping.Messaging.Database;
using Samskaping.Messaging.Faults;
using Samskaping.Messaging.Inbox;
using Samskaping.Messaging.Metrics;
using Samskaping.Messaging.Outbox;
using Samskaping.Messaging.Replay;
using Samskaping.ServiceDefaults;

namespace Samskaping.Messaging.Bus;

public static class MessagingExtensions
{
    /// <summary>
    /// MassTransit over RabbitMQ for service <paramref name="serviceName"/>: one quorum queue named after the
    /// service for all its consumers (error queue <c>{service}_error</c>), one retry around each delivery, one inbox
    /// transaction per delivery shared by the consumers, and the outbox relay. Call after
    /// <see cref="DatabaseExtensions.AddServiceDatabase"/>.
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
                // use the quick retries and then the error queue (./samskaping chaos --scenario postgres-kill).
                var whileUnreachable = new ConsumeContextRetryPipeSpecification();
                whileUnreachable.Handle<Exception>(DatabaseErrors.Unavailable);
                var firstWait = TimeSpan.FromMilliseconds(Math.Min(250, options.DatabaseRetryMaxInterval.TotalMilliseconds));
                whileUnreachable.Exponential(options.DatabaseRetryLimit, firstWait, options.DatabaseRetryMaxInterval, firstWait);
                endpoint.AddPrePipeSpecification(whileUnreachable);
                var retry = new ConsumeContextRetryPipeSpecification();
                retry.Ignore<Exception>(DatabaseErrors.Unavailable);
                retry.Exponential(options.RetryLimit, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
                endpoint.AddPrePipeSpecification(retry);
                var faults = context.GetService<MessageFaults>();
                if (faults is not null)
                {
                    endpoint.AddPrePipeSpecification(FaultInjection.AfterCommit(faults));
                }
                endpoint.AddPrePipeSpecification(new FilterPipeSpecification<ConsumeContext>(new InboxFilter(
                    context.GetRequiredService<NpgsqlDataSource>(), context.GetRequiredService<MessagingMetrics>())));
                if (faults is not null)
                {
                    endpoint.AddPrePipeSpecification(FaultInjection.BeforeCommit(faults));
                }
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
                // ICaseMessage tells the outbox which case a message is about; it is not a message of its own, so no
                // exchange for it.
                cfg.Publish<ICaseMessage>(p => p.Exclude = true);
                cfg.ConfigureEndpoints(context);
            });
        });
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(60);
            o.StopTimeout = TimeSpan.FromSeconds(15);
        });

        // Fault injection for ./samskaping chaos exists only where Messaging:Faults is configured (refused in Production).
        if (FaultInjection.Configured(builder.Configuration))
        {
            builder.Services.AddFaultInjection();
        }

        builder.Services.AddSingleton(sp => new ErrorQueueDepth(serviceName, sp.GetRequiredService<IOptions<MessagingOptions>>()));
        builder.Services.AddServiceMetrics<MessagingMetrics>();
        builder.Services.AddSingleton(sp => new ErrorQueueMessages(serviceName, sp.GetRequiredService<IOptions<MessagingOptions>>(),
            sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<ParkedOutboxRows>();
        builder.Services.AddSingleton<OutboxWriter>();
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
