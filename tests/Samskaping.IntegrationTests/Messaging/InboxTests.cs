using MassTransit;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Messaging;

public sealed class InboxTests
{
    [Fact]
    public async Task The_same_message_delivered_twice_has_one_effect()
    {
        await using var database = await TestDatabase.Create("inbox_twice");
        await using var vhost = await TestVirtualHost.Create("inbox_twice");
        await using var host = await MessagingHost.Start(database, vhost, "twice", bus => bus.AddConsumer<ProbeConsumer>());
        var probe = new Probe(Guid.NewGuid(), "twice");
        var messageId = Guid.NewGuid();

        // At-least-once delivery: the same message id arrives again (a relay crash before marking, a broker redelivery).
        await host.Bus.Publish(probe, c => c.MessageId = messageId);
        await host.Bus.Publish(probe, c => c.MessageId = messageId);

        await Eventually.True(() => Task.FromResult(Deliveries.HandledOf(probe.ProbeId) == 2), what: "both deliveries to be handled");
        (await Effects(database, probe.ProbeId)).ShouldBe(1);
        (await database.Scalar<long>("SELECT count(*) FROM messaging.inbox WHERE message_id = @m", ("m", messageId))).ShouldBe(1);
    }

    [Fact]
    public async Task A_consumer_that_fails_after_writing_leaves_no_effect_and_succeeds_on_retry()
    {
        await using var database = await TestDatabase.Create("inbox_retry");
        await using var vhost = await TestVirtualHost.Create("inbox_retry");
        await using var host = await MessagingHost.Start(database, vhost, "retry", bus => bus.AddConsumer<FailOnceConsumer>());
        var probe = new Probe(Guid.NewGuid(), "fail-once");

        await host.Enqueue([probe]);

        await Eventually.True(async () => await Effects(database, probe.ProbeId) == 1, what: "the retried effect");
        Deliveries.Of(probe.ProbeId).ShouldBe(2, "the first attempt failed after writing and was retried once");
        (await vhost.MessagesIn("retry_error")).ShouldBe(0);
    }

    [Fact]
    public async Task A_services_consumers_of_one_message_share_one_queue_and_one_transaction()
    {
        await using var database = await TestDatabase.Create("inbox_pair");
        await using var vhost = await TestVirtualHost.Create("inbox_pair");
        await using var host = await MessagingHost.Start(database, vhost, "pair", bus =>
        {
            bus.AddConsumer<ProbeConsumer>();
            bus.AddConsumer<PairedFailOnceConsumer>();
        });
        var probe = new Probe(Guid.NewGuid(), "pair");

        await host.Enqueue([probe]);

        await Eventually.True(async () => await Effects(database, probe.ProbeId) == 2, what: "both consumers' effects");
        // The paired consumer failed its first attempt; the retry wrote both effects once, in ONE transaction: the
        // two inbox rows and the two effects carry the same transaction id (xmin).
        (await database.Scalar<long>("SELECT count(*) FROM probe.effects WHERE probe_id = @p AND consumer = 'ProbeConsumer'", ("p", probe.ProbeId))).ShouldBe(1);
        (await database.Scalar<long>("SELECT count(*) FROM probe.effects WHERE probe_id = @p AND consumer = 'PairedFailOnceConsumer'", ("p", probe.ProbeId))).ShouldBe(1);
        Samskaping.IntegrationTests.Messaging.Effects.WrittenBy(probe.ProbeId, nameof(PairedFailOnceConsumer)).ShouldBe(2, "its first write was rolled back");
        Deliveries.Of(probe.ProbeId).ShouldBe(2, "ProbeConsumer ran in both attempts: the failure of the other consumer rolled its effect back too");
        (await database.Scalar<long>("SELECT count(*) FROM messaging.inbox")).ShouldBe(2, "one inbox row per consumer");
        (await database.Scalar<long>(
            "SELECT count(DISTINCT x) FROM (SELECT xmin::text AS x FROM messaging.inbox UNION ALL SELECT xmin::text FROM probe.effects WHERE probe_id = @p) t",
            ("p", probe.ProbeId))).ShouldBe(1, "the inbox rows and effects of one delivery commit in one transaction");
        (await vhost.QueueType("pair")).ShouldBe("quorum", "one queue for the service, named after it");
        (await vhost.MessagesIn("pair_error")).ShouldBe(0);
    }

    [Fact]
    public async Task A_failure_swallowed_inside_a_delivery_commits_nothing_of_it()
    {
        await using var database = await TestDatabase.Create("inbox_swallow");
        await using var vhost = await TestVirtualHost.Create("inbox_swallow");
        await using var host = await MessagingHost.Start(database, vhost, "swallow", bus =>
        {
            bus.AddConsumer<ProbeConsumer>();
            bus.AddConsumer<SwallowingConsumer>();
        });
        var probe = new Probe(Guid.NewGuid(), "swallow");

        await host.Enqueue([probe]);

        // Both consumers finish (the failure is swallowed), yet the delivery's transaction is rolled back.
        await Eventually.True(() => Task.FromResult(Deliveries.HandledOf(probe.ProbeId) == 2), what: "both consumers to finish");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Samskaping.IntegrationTests.Messaging.Effects.WrittenBy(probe.ProbeId, nameof(SwallowingConsumer)).ShouldBe(1);
        (await Effects(database, probe.ProbeId)).ShouldBe(0, "neither the failed effect nor the other consumer's is committed");
        (await database.Scalar<long>("SELECT count(*) FROM messaging.inbox")).ShouldBe(0);
    }

    private static Task<long> Effects(TestDatabase database, Guid probeId) =>
        database.Scalar<long>("SELECT count(*) FROM probe.effects WHERE probe_id = @p", ("p", probeId));
}
