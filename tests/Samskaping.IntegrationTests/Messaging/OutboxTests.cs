using Dapper;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Messaging;

public sealed class OutboxTests
{
    [Fact]
    public async Task A_rolled_back_transaction_publishes_nothing()
    {
        await using var database = await TestDatabase.Create("outbox_rollback");
        await using var vhost = await TestVirtualHost.Create("outbox_rollback");
        await using var host = await MessagingHost.Start(database, vhost, "rollback", bus => bus.AddConsumer<ProbeConsumer>());
        var rolledBack = new Probe(Guid.NewGuid(), "rolled back");
        var committed = new Probe(Guid.NewGuid(), "committed");

        await host.Enqueue([rolledBack], commit: false);
        await host.Enqueue([committed]);

        await Eventually.True(async () => await Effects(database, committed.ProbeId) == 1, what: "the committed probe's effect");
        (await Effects(database, rolledBack.ProbeId)).ShouldBe(0);
        Deliveries.Of(rolledBack.ProbeId).ShouldBe(0);
        (await database.Scalar<long>("SELECT count(*) FROM messaging.outbox")).ShouldBe(1, "only the committed row exists");
    }

    [Fact]
    public async Task A_committed_message_is_published_with_the_outbox_row_id_and_marked_published()
    {
        await using var database = await TestDatabase.Create("outbox_marked");
        await using var vhost = await TestVirtualHost.Create("outbox_marked");
        await using var host = await MessagingHost.Start(database, vhost, "marked", bus => bus.AddConsumer<DeliveryRecorder>());
        var probe = new Probe(Guid.NewGuid(), "hello");

        await host.Enqueue([probe]);

        var delivered = await Eventually.Get(
            () => database.Scalar<Guid?>("SELECT message_id FROM probe.deliveries WHERE probe_id = @p", ("p", probe.ProbeId)),
            id => id is not null, what: "the delivery");
        var rowId = await database.Scalar<Guid?>("SELECT id FROM messaging.outbox");
        delivered.ShouldBe(rowId);
        await Eventually.True(async () => await database.Scalar<long>("SELECT count(*) FROM messaging.outbox WHERE published_at IS NOT NULL") == 1,
            what: "the row to be marked published");
    }

    [Fact]
    public async Task Two_relays_on_one_database_never_publish_the_same_row_twice()
    {
        await using var database = await TestDatabase.Create("outbox_two_relays");
        await using var consumerDatabase = await TestDatabase.Create("outbox_two_relays_consumer");
        await using var vhost = await TestVirtualHost.Create("outbox_two_relays");
        await using var consumer = await MessagingHost.Start(consumerDatabase, vhost, "recorder", bus => bus.AddConsumer<DeliveryRecorder>());
        // Small batches so the two relays interleave and compete for rows all the time.
        await using var relayA = await MessagingHost.Start(database, vhost, "relay-a", _ => { }, outboxBatchSize: 7);
        await using var relayB = await MessagingHost.Start(database, vhost, "relay-b", _ => { }, outboxBatchSize: 7);
        var probes = Enumerable.Range(0, 600).Select(i => new Probe(Guid.NewGuid(), $"probe {i}")).ToList();

        foreach (var chunk in probes.Chunk(20))
        {
            await (chunk[0].Note.EndsWith('0') ? relayA : relayB).Enqueue(chunk);
        }

        await Eventually.True(async () => await consumerDatabase.Scalar<long>("SELECT count(DISTINCT probe_id) FROM probe.deliveries") == probes.Count,
            TimeSpan.FromSeconds(60), "every probe to be delivered");
        await Task.Delay(500); // room for a duplicate to arrive, were there one
        (await consumerDatabase.Scalar<long>("SELECT count(*) FROM probe.deliveries")).ShouldBe(probes.Count);
        (await database.Scalar<long>("SELECT count(*) FROM messaging.outbox WHERE published_at IS NULL")).ShouldBe(0);
    }

    private static Task<long> Effects(TestDatabase database, Guid probeId) =>
        database.Scalar<long>("SELECT count(*) FROM probe.effects WHERE probe_id = @p", ("p", probeId));
}

[Collection(BrokerOutageCollection.Name)]
public sealed class OutboxBrokerOutageTests
{
    [Fact]
    public async Task A_message_enqueued_while_RabbitMQ_is_stopped_is_published_after_it_comes_back()
    {
        await using var database = await TestDatabase.Create("outbox_outage");
        await using var vhost = await TestVirtualHost.Create("outbox_outage");
        await using var host = await MessagingHost.Start(database, vhost, "outage", bus => bus.AddConsumer<ProbeConsumer>());
        var probe = new Probe(Guid.NewGuid(), "sent into the dark");

        await Broker.Stop();
        try
        {
            await host.Enqueue([probe]);
            await Task.Delay(TimeSpan.FromSeconds(3));
            (await database.Scalar<long>("SELECT count(*) FROM messaging.outbox WHERE published_at IS NULL")).ShouldBe(1, "nothing can be published while the broker is down");
        }
        finally
        {
            await Broker.Start();
        }

        await Eventually.True(async () => await database.Scalar<long>("SELECT count(*) FROM probe.effects WHERE probe_id = @p", ("p", probe.ProbeId)) == 1,
            TimeSpan.FromSeconds(90), "the probe to arrive after the broker came back");
        (await database.Scalar<long>("SELECT count(*) FROM messaging.outbox WHERE published_at IS NULL")).ShouldBe(0);
    }
}
