using System.Diagnostics.Metrics;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Samskaping.Messaging.Bus;

namespace Samskaping.Messaging.Metrics;

/// <summary>
/// The messaging meter every service has (<c>Samskaping.Messaging</c>): outbox lag and backlog, inbox duplicates,
/// consumer failures and the depth of the service's error queue. Labels are message types and states only.
/// </summary>
public sealed class MessagingMetrics
{
    public const string MeterName = "Samskaping.Messaging";

    private readonly Histogram<double> _outboxLag;
    private readonly Counter<long> _inboxDuplicates;
    private readonly Counter<long> _consumeFailures;

    public MessagingMetrics(
        IMeterFactory meters,
        NpgsqlDataSource dataSource,
        ErrorQueueDepth errorQueue,
        IOptions<MetricsOptions> options,
        TimeProvider clock,
        ILogger<MessagingMetrics> logger)
    {
        var meter = meters.Create(MeterName);
        _outboxLag = meter.CreateHistogram<double>("samskaping.outbox.lag", "s",
            "Time from the outbox row's commit-time timestamp to the broker's confirmation.");
        _inboxDuplicates = meter.CreateCounter<long>("samskaping.inbox.duplicates", "{message}",
            "Deliveries every consumer of the service had handled already (a redelivery), acknowledged without a second effect.");
        _consumeFailures = meter.CreateCounter<long>("samskaping.consume.failures", "{attempt}",
            "Delivery attempts a consumer failed; after the retries the message goes to the error queue.");

        var backlog = new CachedReading<OutboxCounts>(() => ReadBacklog(dataSource), options.Value, clock, logger, "the outbox backlog");
        meter.CreateObservableGauge("samskaping.outbox.backlog", () => Backlog(backlog.Current()),
            "{message}", "Outbox rows not yet published (pending) and rows that will never be (parked, waiting for an operator).");
        meter.CreateObservableGauge("samskaping.outbox.oldest_pending.age",
            () => backlog.Current() is { } c ? [new Measurement<double>(c.OldestPendingSeconds)] : Array.Empty<Measurement<double>>(),
            "s", "Age of the oldest outbox row not yet published; 0 when none waits.");

        var depth = new CachedReading<ErrorQueueDepth.Reading>(errorQueue.Read, options.Value, clock, logger, "the error queue's depth");
        meter.CreateObservableGauge("samskaping.error_queue.depth",
            () => depth.Current() is { } d ? [new Measurement<long>(d.Messages)] : Array.Empty<Measurement<long>>(),
            "{message}", "Messages in the service's error queue, waiting for an operator (docs/operations.md, \"Error queue\").");
    }

    internal void OutboxPublished(string messageType, TimeSpan lag) =>
        _outboxLag.Record(lag.TotalSeconds, new KeyValuePair<string, object?>("message_type", messageType));

    internal void InboxDuplicate(string consumer) =>
        _inboxDuplicates.Add(1, new KeyValuePair<string, object?>("consumer", consumer));

    internal void ConsumeFailed(string messageType) =>
        _consumeFailures.Add(1, new KeyValuePair<string, object?>("message_type", messageType));

    private static Measurement<long>[] Backlog(OutboxCounts? counts) => counts is null ? [] :
    [
        new(counts.Pending, new KeyValuePair<string, object?>("state", "pending")),
        new(counts.Parked, new KeyValuePair<string, object?>("state", "parked")),
    ];

    private static OutboxCounts ReadBacklog(NpgsqlDataSource dataSource)
    {
        using var connection = dataSource.OpenConnection();
        // Both counts use the partial index of pending rows or the small set of parked ones, never a scan of the published.
        return connection.QuerySingle<OutboxCounts>(
            """
            SELECT (SELECT count(*) FROM messaging.outbox WHERE published_at IS NULL AND parked_at IS NULL) AS Pending,
                   (SELECT count(*) FROM messaging.outbox WHERE published_at IS NULL AND parked_at IS NOT NULL) AS Parked,
                   COALESCE(EXTRACT(EPOCH FROM now() - (SELECT min(created_at) FROM messaging.outbox
                       WHERE published_at IS NULL AND parked_at IS NULL)), 0)::float8 AS OldestPendingSeconds
            """, commandTimeout: 5);
    }

    private sealed record OutboxCounts(long Pending, long Parked, double OldestPendingSeconds);
}
