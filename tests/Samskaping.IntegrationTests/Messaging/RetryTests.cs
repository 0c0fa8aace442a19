using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Messaging;

public sealed class RetryTests
{
    [Fact]
    public async Task A_message_that_keeps_failing_is_retried_then_parked_in_the_error_queue_of_a_quorum_queue()
    {
        await using var database = await TestDatabase.Create("retry_error");
        await using var vhost = await TestVirtualHost.Create("retry_error");
        await using var host = await MessagingHost.Start(database, vhost, "fails", bus => bus.AddConsumer<AlwaysFailsConsumer>());
        var probe = new Probe(Guid.NewGuid(), "never works");

        await host.Enqueue([probe]);

        // The management API refreshes its counters every few seconds.
        await Eventually.True(async () => await vhost.MessagesIn("fails_error") == 1, TimeSpan.FromSeconds(45), "the message in the error queue");
        Deliveries.Of(probe.ProbeId).ShouldBe(4, "the first delivery and Messaging:RetryLimit = 3 retries");
        (await vhost.QueueType("fails")).ShouldBe("quorum");
    }

    [Fact]
    public async Task A_delivery_that_cannot_reach_the_database_waits_for_it_past_the_quick_retries_and_is_consumed_once()
    {
        await using var database = await TestDatabase.Create("retry_unreachable");
        await using var vhost = await TestVirtualHost.Create("retry_unreachable");
        await using var host = await MessagingHost.Start(database, vhost, "unreachable", bus => bus.AddConsumer<UnreachableDatabaseConsumer>());
        var probe = new Probe(Guid.NewGuid(), "database restarting");

        await host.Enqueue([probe]);

        await Eventually.True(() => Task.FromResult(Deliveries.HandledOf(probe.ProbeId) == 1), TimeSpan.FromSeconds(30), "the delivery once the database answers");
        Deliveries.Of(probe.ProbeId).ShouldBe(UnreachableDatabaseConsumer.UnreachableAttempts + 1,
            "six attempts without the database — more than the first delivery and Messaging:RetryLimit = 3 quick retries — then one with it");
        // The consumer counts itself handled before the delivery's inbox transaction commits (after every consumer of it).
        await Eventually.True(async () => await database.Scalar<long>("SELECT count(*) FROM probe.effects WHERE probe_id = @p", ("p", probe.ProbeId)) >= 1,
            TimeSpan.FromSeconds(10), "the effect committed");
        (await database.Scalar<long>("SELECT count(*) FROM probe.effects WHERE probe_id = @p", ("p", probe.ProbeId))).ShouldBe(1);
        await Task.Delay(TimeSpan.FromSeconds(6)); // the management API's counters lag a few seconds
        (await vhost.MessagesIn("unreachable_error")).ShouldBe(0);
    }
}
