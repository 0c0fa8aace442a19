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
}
