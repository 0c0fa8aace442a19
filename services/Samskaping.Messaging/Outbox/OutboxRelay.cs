using System.Diagnostics;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Samskaping.Messaging.Database;
using Samskaping.Messaging.Metrics;
using Samskaping.ServiceDefaults;

namespace Samskaping.Messaging.Outbox;

/// <summary>
/// Publishes committed outbox rows to RabbitMQ with MessageId = row id, so consumers' inboxes recognise a
/// re-publish. Rows are claimed with <c>FOR UPDATE SKIP LOCKED</c>: any number of replicas can run a relay and
/// no row is published by two of them. Woken by NOTIFY on commit, with polling only as a safety net. Within a batch,
/// rows about the same case are published in order and different cases concurrently.
/// </summary>
internal sealed partial class OutboxRelay(
    NpgsqlDataSource dataSource,
    IBus bus,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    MessagingMetrics metrics,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    internal static readonly ActivitySource Source = new("Samskaping.Outbox");
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(10);

    private readonly WakeSignal _wake = new(clock);
    private DateTimeOffset _nextCleanup = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listening = ListenForCommits(stoppingToken);
        var retryDelay = FirstRetryDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var more = await PublishPending(stoppingToken);
                retryDelay = FirstRetryDelay;
                await CleanUpPublished(stoppingToken);
                if (!more)
                {
                    await _wake.WaitAsync(options.Value.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogPublishFailed(logger, e.GetType().Name, e.Message, retryDelay.TotalMilliseconds);
                await Task.Delay(retryDelay, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, options.Value.MaxRetryDelay.Ticks));
            }
        }
        await listening;
    }

    /// <summary>Claims one batch, publishes it, marks what was published. True when more rows may be waiting.</summary>
    internal async Task<bool> PublishPending(CancellationToken ct)
    {
        var batchSize = options.Value.BatchSize;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var rows = (await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            """
            SELECT id, message_type AS MessageType, case_id AS CaseId, body::text AS Body, trace_parent AS TraceParent, created_at AS CreatedAt
            FROM messaging.outbox
            WHERE published_at IS NULL AND parked_at IS NULL
            ORDER BY created_at, id
            LIMIT @batchSize
            FOR UPDATE SKIP LOCKED
            """, new { batchSize }, transaction, cancellationToken: ct))).AsList();

        var readable = new List<(OutboxRow Row, object Message, Type Type)>(rows.Count);
        foreach (var row in rows)
        {
            if (TryRead(row, out var message, out var type, out var problem))
            {
                readable.Add((row, message, type));
            }
            else
            {
                await Park(row.Id, problem, transaction, ct);
            }
        }

        // Publishing one row at a time waits a broker confirmation per row, which caps a relay at 1/confirm-latency
        // rows per second (about ten under load, measured by ./samskaping bench). The rows of one case stay in
        // order, one after the other; different cases are published side by side, so their confirmations overlap.
        var published = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        var failures = new System.Collections.Concurrent.ConcurrentBag<(Guid Id, Exception Error)>();
        await Task.WhenAll(readable.GroupBy(r => OrderingKey(r.Row)).Select(async sequence =>
        {
            foreach (var (row, message, type) in sequence)
            {
                try
                {
                    await Publish(row, message, type, ct);
                    published.Add(row.Id);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    // The rest of this case's rows wait too, so they are never published ahead of this one.
                    failures.Add((row.Id, e));
                    return;
                }
            }
        }));
        foreach (var (id, error) in failures)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE messaging.outbox SET attempts = attempts + 1, last_error = @error WHERE id = @id",
                new { id, error = $"{error.GetType().Name}: {error.Message}" }, transaction, cancellationToken: ct));
        }
        var failure = failures.IsEmpty ? null : failures.First().Error;

        if (!published.IsEmpty)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE messaging.outbox SET published_at = @now WHERE id = ANY(@published)",
                new { now = clock.GetUtcNow(), published = published.ToArray() }, transaction, cancellationToken: ct));
        }
        // Commit what went out even when another row failed: those must not be published again.
        await transaction.CommitAsync(ct);

        if (failure is not null)
        {
            throw new OutboxPublishException("Publishing an outbox row failed; it and the later rows of its case wait for the next attempt.", failure);
        }
        return rows.Count == batchSize;
    }

    private async Task Publish(OutboxRow row, object message, Type type, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.PublishTimeout);

        // Continue the trace of the request that wrote the row, so one trace runs from the gateway into every consumer.
        ActivityContext.TryParse(row.TraceParent, null, out var parent);
        using var activity = Source.StartActivity("outbox publish", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.message.id", row.Id);
        activity?.SetTag("messaging.message.type", type.Name);

        await bus.Publish(message, type, Pipe.Execute<PublishContext>(context => context.MessageId = row.Id), timeout.Token);
        metrics.OutboxPublished(type.Name, clock.GetUtcNow() - row.CreatedAt.AsUtc());
    }

    /// <summary>Rows about the same case keep their order; a row about no case orders with nothing but itself.</summary>
    internal static Guid OrderingKey(OutboxRow row) => row.CaseId ?? row.Id;

    private static bool TryRead(OutboxRow row, out object message, out Type type, out string problem)
    {
        message = null!;
        type = MessageTypes.Resolve(row.MessageType)!;
        if (type is null)
        {
            problem = $"Unknown message type {row.MessageType}.";
            return false;
        }
        try
        {
            message = JsonSerializer.Deserialize(row.Body, type, OutboxWriter.Json)!;
            problem = "";
            return message is not null;
        }
        catch (JsonException e)
        {
            problem = $"Unreadable body: {e.Message}";
            return false;
        }
    }

    private async Task Park(Guid id, string problem, NpgsqlTransaction transaction, CancellationToken ct)
    {
        LogParked(logger, id, problem);
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE messaging.outbox SET parked_at = @now, last_error = @problem WHERE id = @id",
            new { id, problem, now = clock.GetUtcNow() }, transaction, cancellationToken: ct));
    }

    private async Task CleanUpPublished(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (now < _nextCleanup)
        {
            return;
        }
        _nextCleanup = now + CleanupInterval;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM messaging.outbox WHERE published_at < @outboxBefore;
            DELETE FROM messaging.inbox WHERE received_at < @inboxBefore;
            """,
            new { outboxBefore = now - options.Value.Retention, inboxBefore = now - options.Value.InboxRetention }, cancellationToken: ct));
    }

    /// <summary>LISTEN on the outbox channel; reconnects after failures so the relay keeps waking on commit.</summary>
    private Task ListenForCommits(CancellationToken ct) =>
        CommitListener.Run(dataSource, OutboxWriter.Channel, _wake.Set, options.Value.MaxRetryDelay, clock, logger, ct);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox publish failed ({ExceptionType}: {Reason}); retrying in {DelayMs} ms")]
    private static partial void LogPublishFailed(ILogger logger, string exceptionType, string reason, double delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox row {Id} parked and will not be published: {Problem}")]
    private static partial void LogParked(ILogger logger, Guid id, string problem);

    internal sealed record OutboxRow(Guid Id, string MessageType, Guid? CaseId, string Body, string? TraceParent, DateTime CreatedAt);
}

internal sealed class OutboxPublishException(string message, Exception inner) : Exception(message, inner);
