using MassTransit;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.IntegrationTests.Messaging;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Operations;

/// <summary>The messaging meter every service has, its instruments recorded over the real database and broker.</summary>
public sealed class MessagingMetricsTests
{
    [Fact]
    public async Task A_message_that_keeps_failing_counts_each_failed_attempt_and_shows_in_the_error_queue_depth()
    {
        await using var database = await TestDatabase.Create("metrics_faults");
        await using var vhost = await TestVirtualHost.Create("metrics_faults");
        await using var host = await MessagingHost.Start(database, vhost, "metricsfails", bus => bus.AddConsumer<AlwaysFailsConsumer>());
        using var measured = new ServiceMeasurements(host.Services);
        measured.Gauge("samskaping.error_queue.depth").ShouldBe(0, "no error queue yet: nothing failed");

        await host.Enqueue([new Probe(Guid.NewGuid(), "never works")]);

        await Eventually.True(() => Task.FromResult(measured.Gauge("samskaping.error_queue.depth") == 1), TimeSpan.FromSeconds(45), "the message in the error queue");
        measured.Sum("samskaping.consume.failures", ("message_type", "Probe")).ShouldBe(4, "the first delivery and Messaging:RetryLimit = 3 retries");
        measured.Count("samskaping.outbox.lag", ("message_type", "Probe")).ShouldBe(1);
        measured.Gauge("samskaping.outbox.backlog", ("state", "pending")).ShouldBe(0);
        measured.ShouldCarryNoPersonalData();
    }

    [Fact]
    public async Task A_redelivered_message_is_counted_as_an_inbox_duplicate_and_a_parked_outbox_row_in_the_backlog()
    {
        await using var database = await TestDatabase.Create("metrics_inbox");
        await using var vhost = await TestVirtualHost.Create("metrics_inbox");
        await using var host = await MessagingHost.Start(database, vhost, "metricsinbox", bus => bus.AddConsumer<ProbeConsumer>());
        using var measured = new ServiceMeasurements(host.Services);
        var probe = new Probe(Guid.NewGuid(), "twice");
        var messageId = Guid.NewGuid();

        await host.Bus.Publish(probe, context => context.MessageId = messageId);
        await host.Bus.Publish(probe, context => context.MessageId = messageId);
        await Eventually.True(() => Task.FromResult(measured.Sum("samskaping.inbox.duplicates", ("consumer", nameof(ProbeConsumer))) == 1),
            TimeSpan.FromSeconds(30), "the second delivery recognised by the inbox");
        (await database.Scalar<long>("SELECT count(*) FROM probe.effects WHERE probe_id = @p", ("p", probe.ProbeId))).ShouldBe(1);

        // A row the relay cannot publish (a type this service does not know) is parked, and waits for an operator.
        await database.Scalar<int>(
            "INSERT INTO messaging.outbox (id, message_type, body, created_at) VALUES (@id, 'Samskaping.Contracts.Nowhere.Unknown', '{}', now()) RETURNING 1",
            ("id", Guid.NewGuid()));
        await Eventually.True(() => Task.FromResult(measured.Gauge("samskaping.outbox.backlog", ("state", "parked")) == 1),
            TimeSpan.FromSeconds(30), "the parked row in the backlog");
        measured.Gauge("samskaping.outbox.backlog", ("state", "pending")).ShouldBe(0);
        measured.Gauge("samskaping.outbox.oldest_pending.age").ShouldBe(0);
        measured.ShouldCarryNoPersonalData();
    }
}
