using System.Net;
using System.Net.Http.Json;
using Dapper;
using MassTransit;
using Npgsql;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.IntegrationTests.Messaging;
using Samskaping.Messaging.Replay;
using Samskaping.ServiceDefaults;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Operations;

/// <summary>
/// The operator's replay and discard of undeliverable messages (Messaging/Replay), over the real database and
/// broker: what is listed, what a replay and a discard do, what they leave in the audit, and who may do them.
/// </summary>
public sealed class MessagingReplayTests
{
    private const string ProbeType = "Samskaping.IntegrationTests.Messaging.Probe";

    [Fact]
    public async Task A_message_in_the_error_queue_is_listed_and_replayed_twice_with_one_effect_and_both_replays_audited()
    {
        await using var database = await TestDatabase.Create("replay_errors");
        await using var vhost = await TestVirtualHost.Create("replay_errors");
        await using var host = await MessagingAdminHost.Start(database, vhost, "replayq", bus => bus.AddConsumer<UntilFixedConsumer>());
        var admin = host.Client();
        var probe = new Probe(Guid.NewGuid(), "refused until fixed");
        var messageId = Guid.NewGuid();
        UntilFixedConsumer.Broken[probe.ProbeId] = true;

        // The same message twice (a re-publish after a lost confirmation): both copies fail and lie in the error queue.
        await host.Bus.Publish(probe, c => c.MessageId = messageId);
        await host.Bus.Publish(probe, c => c.MessageId = messageId);
        var listed = (await Eventually.Get(() => admin.GetFromJsonAsync<List<ErrorQueueMessage>>("error-queue")!, l => l!.Count == 2,
            TimeSpan.FromSeconds(45), "both copies in the error queue"))!;
        listed.ShouldAllBe(m => m.MessageId == messageId && m.MessageType == ProbeType);
        listed.ShouldAllBe(m => m.ExceptionType == typeof(InvalidOperationException).FullName && m.FaultMessage == "Refused until the fix is deployed." && m.FaultedAt != null);
        (await admin.GetFromJsonAsync<List<ErrorQueueMessage>>("error-queue"))!.Count.ShouldBe(2, "listing leaves the messages in the queue");

        UntilFixedConsumer.Broken.TryRemove(probe.ProbeId, out _);
        var first = await admin.PostAsJsonAsync($"error-queue/{messageId}/replay", new OperatorNote("fix deployed"));
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        await Eventually.True(() => Task.FromResult(Deliveries.HandledOf(probe.ProbeId) == 1), TimeSpan.FromSeconds(30), "the replayed message consumed");
        var second = await admin.PostAsync($"error-queue/{messageId}/replay", null);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        await Eventually.True(() => Task.FromResult(Deliveries.HandledOf(probe.ProbeId) == 2), TimeSpan.FromSeconds(30), "the second copy consumed");

        (await database.Scalar<long>("SELECT count(*) FROM probe.effects WHERE probe_id = @p", ("p", probe.ProbeId))).ShouldBe(1, "the inbox holds: one effect");
        (await admin.GetFromJsonAsync<List<ErrorQueueMessage>>("error-queue"))!.ShouldBeEmpty();
        (await admin.PostAsync($"error-queue/{messageId}/replay", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound, "nothing left to replay");

        var actions = (await admin.GetFromJsonAsync<List<OperatorAction>>("actions"))!;
        actions.Count.ShouldBe(2);
        actions.ShouldAllBe(a => a.Action == "replay" && a.Source == "error-queue" && a.MessageId == messageId && a.MessageType == ProbeType && a.Actor == "operator-1");
        actions.Select(a => a.Reason).ShouldBe([null, "fix deployed"]);
    }

    [Fact]
    public async Task A_message_discarded_from_the_error_queue_needs_a_reason_is_kept_as_a_copy_and_audited()
    {
        await using var database = await TestDatabase.Create("replay_discard");
        await using var vhost = await TestVirtualHost.Create("replay_discard");
        await using var host = await MessagingAdminHost.Start(database, vhost, "discardq", bus => bus.AddConsumer<UntilFixedConsumer>());
        var admin = host.Client();
        var probe = new Probe(Guid.NewGuid(), "a test event sent to production");
        var messageId = Guid.NewGuid();
        UntilFixedConsumer.Broken[probe.ProbeId] = true;
        await host.Bus.Publish(probe, c => c.MessageId = messageId);
        await Eventually.Get(() => admin.GetFromJsonAsync<List<ErrorQueueMessage>>("error-queue")!, l => l!.Count == 1, TimeSpan.FromSeconds(45), "the message in the error queue");

        var noReason = await admin.PostAsJsonAsync($"error-queue/{messageId}/discard", new OperatorNote("  "));
        noReason.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await noReason.Content.ReadAsStringAsync()).ShouldContain("reason");
        (await admin.PostAsync($"error-queue/{messageId}/discard", null)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await admin.PostAsJsonAsync($"error-queue/{Guid.NewGuid()}/discard", new OperatorNote("unknown"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var discarded = await admin.PostAsJsonAsync($"error-queue/{messageId}/discard", new OperatorNote("test event, never meant for production"));
        discarded.StatusCode.ShouldBe(HttpStatusCode.OK);
        var action = (await discarded.Content.ReadFromJsonAsync<OperatorAction>())!;

        (await admin.GetFromJsonAsync<List<ErrorQueueMessage>>("error-queue"))!.ShouldBeEmpty();
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        var copy = await connection.QuerySingleAsync<(string Source, Guid MessageId, string Headers, byte[] Body, string Reason, string Actor)>(
            """
            SELECT d.source, d.message_id, d.headers::text, d.body, a.reason, a.actor
            FROM messaging.discarded_messages d JOIN messaging.operator_actions a ON a.id = d.action_id WHERE d.action_id = @id
            """, new { id = action.Id });
        copy.Source.ShouldBe("error-queue");
        copy.MessageId.ShouldBe(messageId);
        copy.Reason.ShouldBe("test event, never meant for production");
        copy.Actor.ShouldBe("operator-1");
        copy.Headers.ShouldContain("MT-Fault-Message");
        System.Text.Encoding.UTF8.GetString(copy.Body).ShouldContain(probe.ProbeId.ToString());
        (await database.Scalar<long>("SELECT count(*) FROM probe.effects WHERE probe_id = @p", ("p", probe.ProbeId))).ShouldBe(0);
        await Should.ThrowAsync<PostgresException>(() => connection.ExecuteAsync("UPDATE messaging.operator_actions SET reason = 'edited'"));
        await Should.ThrowAsync<PostgresException>(() => connection.ExecuteAsync("DELETE FROM messaging.discarded_messages"));
    }

    [Fact]
    public async Task A_parked_outbox_row_is_listed_replayed_and_delivered_once_and_another_discarded_with_its_reason()
    {
        await using var database = await TestDatabase.Create("replay_parked");
        await using var vhost = await TestVirtualHost.Create("replay_parked");
        await using var host = await MessagingAdminHost.Start(database, vhost, "parkedq", bus => bus.AddConsumer<UntilFixedConsumer>());
        var admin = host.Client();
        var replayed = new Probe(Guid.NewGuid(), "parked by an older relay");
        var dropped = new Probe(Guid.NewGuid(), "parked and never to be sent");
        // Parked in the transaction that writes it, as a relay that could not read it would have parked it: the relay
        // here never sees it pending.
        await host.Enqueue(replayed, Park);
        await host.Enqueue(dropped, Park);

        var parked = (await admin.GetFromJsonAsync<List<ParkedOutboxRow>>("outbox/parked"))!;
        parked.Count.ShouldBe(2);
        parked.ShouldAllBe(r => r.MessageType == ProbeType && r.LastError == "Unknown message type (test).");
        var replayedId = parked[0].Id;
        var droppedId = parked[1].Id;

        (await admin.PostAsync($"outbox/parked/{replayedId}/replay", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Eventually.True(() => Task.FromResult(Deliveries.HandledOf(replayed.ProbeId) == 1), TimeSpan.FromSeconds(30), "the replayed row delivered");
        (await admin.PostAsync($"outbox/parked/{replayedId}/replay", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound, "published, no longer parked");

        (await admin.PostAsJsonAsync($"outbox/parked/{droppedId}/discard", new OperatorNote(null))).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await admin.PostAsJsonAsync($"outbox/parked/{droppedId}/discard", new OperatorNote(new string('x', 501)))).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await admin.PostAsJsonAsync($"outbox/parked/{Guid.NewGuid()}/discard", new OperatorNote("unknown"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.PostAsJsonAsync($"outbox/parked/{droppedId}/discard", new OperatorNote("the case it announced was deleted"))).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await admin.GetFromJsonAsync<List<ParkedOutboxRow>>("outbox/parked"))!.ShouldBeEmpty();
        (await database.Scalar<long>("SELECT count(*) FROM messaging.outbox WHERE id = @id", ("id", droppedId))).ShouldBe(0);
        (await database.Scalar<string>("SELECT convert_from(body, 'UTF8') FROM messaging.discarded_messages WHERE message_id = @id", ("id", droppedId)))!
            .ShouldContain(dropped.ProbeId.ToString());
        await Task.Delay(TimeSpan.FromSeconds(2)); // a relay that would publish the discarded row has had its chance
        Deliveries.Of(dropped.ProbeId).ShouldBe(0);
        Deliveries.Of(replayed.ProbeId).ShouldBe(1);
        (await database.Scalar<long>("SELECT count(*) FROM probe.effects WHERE probe_id = @p", ("p", replayed.ProbeId))).ShouldBe(1);

        var actions = (await admin.GetFromJsonAsync<List<OperatorAction>>("actions"))!;
        actions.Select(a => (a.Action, a.Source, a.MessageId, a.Reason)).ShouldBe(
            [("discard", "outbox", droppedId, "the case it announced was deleted"), ("replay", "outbox", replayedId, null)]);

        static Task Park(NpgsqlTransaction tx) => tx.Connection!.ExecuteAsync(
            "UPDATE messaging.outbox SET parked_at = now(), last_error = 'Unknown message type (test).' WHERE published_at IS NULL AND parked_at IS NULL",
            transaction: tx);
    }

    [Theory]
    [InlineData(Roles.Caseworker)]
    [InlineData(Roles.Analyst)]
    [InlineData(Roles.PrivacyOfficer)]
    public async Task Only_admins_may_list_replay_or_discard(string role)
    {
        await using var database = await TestDatabase.Create("replay_roles");
        await using var vhost = await TestVirtualHost.Create("replay_roles");
        await using var host = await MessagingAdminHost.Start(database, vhost, "rolesq", bus => bus.AddConsumer<UntilFixedConsumer>());
        var other = host.Client(role);
        var id = Guid.NewGuid();

        (await other.GetAsync("error-queue")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await other.PostAsync($"error-queue/{id}/replay", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await other.PostAsJsonAsync($"error-queue/{id}/discard", new OperatorNote("no"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await other.GetAsync("outbox/parked")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await other.PostAsync($"outbox/parked/{id}/replay", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await other.PostAsJsonAsync($"outbox/parked/{id}/discard", new OperatorNote("no"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await other.GetAsync("actions")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await host.Client().GetAsync("error-queue?limit=0")).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await database.Scalar<long>("SELECT count(*) FROM messaging.operator_actions")).ShouldBe(0);
    }
}
