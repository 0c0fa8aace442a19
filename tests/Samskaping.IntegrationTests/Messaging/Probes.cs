using System.Collections.Concurrent;
using Dapper;
using MassTransit;
using Npgsql;
using Samskaping.Messaging.Inbox;

namespace Samskaping.IntegrationTests.Messaging;

/// <summary>A message of the tests' own, published through the outbox like any contract.</summary>
public sealed record Probe(Guid ProbeId, string Note);

/// <summary>How many times each probe reached a consumer, whether or not it had an effect.</summary>
public static class Deliveries
{
    private static readonly ConcurrentDictionary<Guid, int> Counts = new();
    private static readonly ConcurrentDictionary<Guid, int> Handled = new();

    public static void Count(Guid probeId) => Counts.AddOrUpdate(probeId, 1, (_, n) => n + 1);

    /// <summary>Deliveries that reached a consumer (the inbox not yet asked).</summary>
    public static int Of(Guid probeId) => Counts.GetValueOrDefault(probeId);

    public static void CountHandled(Guid probeId) => Handled.AddOrUpdate(probeId, 1, (_, n) => n + 1);

    /// <summary>Deliveries the consumer finished with, duplicates (no effect) included.</summary>
    public static int HandledOf(Guid probeId) => Handled.GetValueOrDefault(probeId);
}

/// <summary>Writes one effect per probe through the inbox.</summary>
public sealed class ProbeConsumer(Inbox inbox) : IConsumer<Probe>
{
    public async Task Consume(ConsumeContext<Probe> context)
    {
        Deliveries.Count(context.Message.ProbeId);
        await inbox.Receive(context, nameof(ProbeConsumer), (tx, ct) => Effects.Write(context.Message.ProbeId, nameof(ProbeConsumer), tx, ct));
        Deliveries.CountHandled(context.Message.ProbeId);
    }
}

/// <summary>Writes its effect, then fails on the first delivery of a probe whose note is "fail-once".</summary>
public sealed class FailOnceConsumer(Inbox inbox) : IConsumer<Probe>
{
    public async Task Consume(ConsumeContext<Probe> context)
    {
        Deliveries.Count(context.Message.ProbeId);
        await inbox.Receive(context, nameof(FailOnceConsumer), async (tx, ct) =>
        {
            await Effects.Write(context.Message.ProbeId, nameof(FailOnceConsumer), tx, ct);
            if (context.Message.Note == "fail-once" && Deliveries.Of(context.Message.ProbeId) == 1)
            {
                throw new InvalidOperationException("Injected failure after the effect was written.");
            }
        });
    }
}

/// <summary>
/// Beside <see cref="ProbeConsumer"/> in one service: writes its effect and fails its first attempt, which rolls
/// back the whole delivery — ProbeConsumer's effect too — and retries both.
/// </summary>
public sealed class PairedFailOnceConsumer(Inbox inbox) : IConsumer<Probe>
{
    private static readonly ConcurrentDictionary<Guid, int> Attempts = new();

    public async Task Consume(ConsumeContext<Probe> context)
    {
        var attempt = Attempts.AddOrUpdate(context.Message.ProbeId, 1, (_, n) => n + 1);
        await inbox.Receive(context, nameof(PairedFailOnceConsumer), async (tx, ct) =>
        {
            await Effects.Write(context.Message.ProbeId, nameof(PairedFailOnceConsumer), tx, ct);
            if (attempt == 1)
            {
                throw new InvalidOperationException("Injected failure of one of two consumers.");
            }
        });
    }
}

/// <summary>Writes its effect, fails, and swallows its own failure: the delivery must not commit the half-written effect.</summary>
public sealed class SwallowingConsumer(Inbox inbox) : IConsumer<Probe>
{
    public async Task Consume(ConsumeContext<Probe> context)
    {
        try
        {
            await inbox.Receive(context, nameof(SwallowingConsumer), async (tx, ct) =>
            {
                await Effects.Write(context.Message.ProbeId, nameof(SwallowingConsumer), tx, ct);
                throw new InvalidOperationException("Injected failure, caught by the consumer itself.");
            });
        }
        catch (InvalidOperationException)
        {
            // The mistake under test: a consumer that hides its failure.
        }
        Deliveries.CountHandled(context.Message.ProbeId);
    }
}

/// <summary>Records every delivery with its MessageId, no inbox: duplicates on the wire become visible.</summary>
public sealed class DeliveryRecorder(NpgsqlDataSource dataSource) : IConsumer<Probe>
{
    public async Task Consume(ConsumeContext<Probe> context)
    {
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO probe.deliveries (message_id, probe_id) VALUES (@messageId, @probeId)",
            new { messageId = context.MessageId, probeId = context.Message.ProbeId }, cancellationToken: context.CancellationToken));
    }
}

internal static class Effects
{
    private static readonly ConcurrentDictionary<(Guid, string), int> Written = new();

    /// <summary>How often a consumer wrote its effect, committed or rolled back.</summary>
    public static int WrittenBy(Guid probeId, string consumer) => Written.GetValueOrDefault((probeId, consumer));

    public static Task Write(Guid probeId, string consumer, NpgsqlTransaction tx, CancellationToken ct)
    {
        Written.AddOrUpdate((probeId, consumer), 1, (_, n) => n + 1);
        return tx.Connection!.ExecuteAsync(new CommandDefinition(
            "INSERT INTO probe.effects (probe_id, consumer) VALUES (@probeId, @consumer)", new { probeId, consumer }, tx, cancellationToken: ct));
    }
}

/// <summary>Fails on every delivery: after the central retries the message must land in the error queue.</summary>
public sealed class AlwaysFailsConsumer : IConsumer<Probe>
{
    public Task Consume(ConsumeContext<Probe> context)
    {
        Deliveries.Count(context.Message.ProbeId);
        throw new InvalidOperationException("Injected permanent failure.");
    }
}

/// <summary>
/// Cannot reach the database on the first six deliveries of a probe (as during a PostgreSQL restart: connection
/// refused), then writes its effect through the inbox.
/// </summary>
public sealed class UnreachableDatabaseConsumer(Inbox inbox) : IConsumer<Probe>
{
    public const int UnreachableAttempts = 6;

    public async Task Consume(ConsumeContext<Probe> context)
    {
        Deliveries.Count(context.Message.ProbeId);
        if (Deliveries.Of(context.Message.ProbeId) <= UnreachableAttempts)
        {
            throw new NpgsqlException("Failed to connect to 127.0.0.1:5432",
                new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused));
        }
        await inbox.Receive(context, nameof(UnreachableDatabaseConsumer), (tx, ct) => Effects.Write(context.Message.ProbeId, nameof(UnreachableDatabaseConsumer), tx, ct));
        Deliveries.CountHandled(context.Message.ProbeId);
    }
}

/// <summary>
/// Refuses a probe while it is on <see cref="Broken"/> (a bug not yet fixed), so it ends in the error queue; once
/// taken off, writes one effect per probe through the inbox.
/// </summary>
public sealed class UntilFixedConsumer(Inbox inbox) : IConsumer<Probe>
{
    public static readonly ConcurrentDictionary<Guid, bool> Broken = new();

    public async Task Consume(ConsumeContext<Probe> context)
    {
        Deliveries.Count(context.Message.ProbeId);
        if (Broken.ContainsKey(context.Message.ProbeId))
        {
            throw new InvalidOperationException("Refused until the fix is deployed.");
        }
        await inbox.Receive(context, nameof(UntilFixedConsumer), (tx, ct) => Effects.Write(context.Message.ProbeId, nameof(UntilFixedConsumer), tx, ct));
        Deliveries.CountHandled(context.Message.ProbeId);
    }
}
