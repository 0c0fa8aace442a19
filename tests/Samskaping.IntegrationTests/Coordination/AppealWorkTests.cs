using System.Globalization;
using System.Net;
using System.Text.Json;
using MassTransit;
using Samskaping.Contracts.Grants;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.IntegrationTests.Operations;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Coordination;

/// <summary>
/// Grants' appeals wait in "my work" for the sectors that may see the case, through the inbox on the real bus, in
/// whatever order grants' events arrive.
/// </summary>
[Collection(CoordinationCollection.Name)]
public sealed class AppealWorkTests(CoordinationFixture coordination)
{
    [Fact]
    public async Task An_appeal_waits_in_my_work_of_the_participating_sectors_nearest_deadline_first_once_however_often_it_is_delivered()
    {
        var caseId = await coordination.OpenCase("lead-klage", "oppvekst");
        await coordination.GiveConsent(caseId, "oppvekst", "kultur");
        using var lead = coordination.Client("oppvekst", "coordinator", "lead-klage");
        using var kultur = coordination.Client("kultur", "caseworker", "kultur-klage");
        using var nav = coordination.Client("nav", "caseworker", "nav-klage");
        await lead.Post($"/api/coordination/cases/{caseId}/sectors", new { sector = "kultur" }).Expect(HttpStatusCode.Created);
        using var measured = new ServiceMeasurements(coordination.Services);
        var today = coordination.Today;
        var later = Received(caseId, today.AddDays(-2), today.AddDays(19), late: false);
        var sooner = Received(caseId, today, today.AddDays(-1), late: true);
        var messageId = Guid.NewGuid();

        // At-least-once delivery: the same message arrives twice.
        await coordination.Publish(later, c => c.MessageId = messageId);
        await coordination.Publish(later, c => c.MessageId = messageId);
        await coordination.Publish(sooner);

        var appeals = await Eventually.Get(() => Waiting(kultur, caseId), a => a.Count == 2, what: "both appeals in kultur's work");
        appeals.Select(a => a.GetProperty("appealId").GetGuid()).ShouldBe([sooner.AppealId, later.AppealId], "the nearest deadline first");
        appeals[0].GetProperty("late").GetBoolean().ShouldBeTrue();
        appeals[0].GetProperty("grantId").GetGuid().ShouldBe(sooner.GrantId);
        appeals[1].GetProperty("receivedOn").GetString().ShouldBe(later.ReceivedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        appeals[1].GetProperty("deadline").GetString().ShouldBe(later.Deadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        (await Waiting(lead, caseId)).Count.ShouldBe(2);
        (await Waiting(nav, caseId)).ShouldBeEmpty("nav takes no part in the case");
        await Eventually.True(() => Task.FromResult(measured.Sum("samskaping.inbox.duplicates", ("consumer", "AppealReceivedConsumer")) == 1),
            what: "the second delivery recognised by the inbox");
        (await coordination.Database.Scalar<long>("SELECT count(*) FROM messaging.inbox WHERE message_id = @m", ("m", messageId))).ShouldBe(1);
        (await coordination.Database.Scalar<long>("SELECT count(*) FROM coordination.appeals WHERE case_id = @c", ("c", caseId))).ShouldBe(2);
        (await coordination.Database.Scalar<long>(
            "SELECT count(*) FROM access.access_log WHERE subject = 'kultur-klage' AND case_id = @c AND purpose = 'my work'", ("c", caseId))).ShouldBeGreaterThan(0);

        // Forwarded to statsforvalteren, it waits for them, not for the municipality; so does the reversed one.
        await coordination.Publish(Decided(later, AppealDecisions.Forwarded, coordination.Clock.GetUtcNow()));
        await Eventually.True(async () => (await Waiting(kultur, caseId)).Select(a => a.GetProperty("appealId").GetGuid()).SequenceEqual([sooner.AppealId]),
            what: "the forwarded appeal to leave my work");
        await coordination.Publish(Decided(sooner, AppealDecisions.Reversed, coordination.Clock.GetUtcNow()));
        await Eventually.True(async () => (await Waiting(kultur, caseId)).Count == 0, what: "the reversed appeal to leave my work");
    }

    [Fact]
    public async Task A_decision_that_arrives_before_its_appeal_keeps_it_out_of_my_work_and_a_late_forwarding_does_not_undo_an_outcome()
    {
        var caseId = await coordination.OpenCase("lead-rekkefolge", "oppvekst");
        using var lead = coordination.Client("oppvekst", "coordinator", "lead-rekkefolge");
        var today = coordination.Today;
        var reversed = Received(caseId, today, today.AddDays(10), late: false);
        var upheld = Received(caseId, today, today.AddDays(12), late: false);
        var forwardedAt = coordination.Clock.GetUtcNow();
        var upheldAt = forwardedAt.AddDays(30);

        await coordination.Publish(Decided(reversed, AppealDecisions.Reversed, forwardedAt));
        await Eventually.True(async () => await Status(reversed.AppealId) == "decided", what: "the early decision to be kept");
        await coordination.Publish(reversed);
        await Eventually.True(async () => await coordination.Database.Scalar<string>(
            "SELECT received_on::text FROM coordination.appeals WHERE appeal_id = @a", ("a", reversed.AppealId)) == reversed.ReceivedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            what: "the registration");
        (await Status(reversed.AppealId)).ShouldBe("decided");

        await coordination.Publish(upheld);
        await Eventually.True(async () => (await Waiting(lead, caseId)).Count == 1, what: "the second appeal in my work");
        await coordination.Publish(Decided(upheld, AppealDecisions.Upheld, upheldAt));
        await Eventually.True(async () => await Status(upheld.AppealId) == "decided", what: "statsforvalteren's outcome");
        var lateForwarding = Guid.NewGuid();
        await coordination.Publish(Decided(upheld, AppealDecisions.Forwarded, forwardedAt), c => c.MessageId = lateForwarding);
        await Eventually.True(async () => await coordination.Database.Scalar<long>(
            "SELECT count(*) FROM messaging.inbox WHERE message_id = @m", ("m", lateForwarding)) == 1, what: "the late forwarding to be received");
        (await coordination.Database.Scalar<string>("SELECT decision FROM coordination.appeals WHERE appeal_id = @a", ("a", upheld.AppealId))).ShouldBe("upheld");
        (await Waiting(lead, caseId)).ShouldBeEmpty();
    }

    private static AppealReceived Received(Guid caseId, DateOnly receivedOn, DateOnly deadline, bool late) =>
        new(caseId, Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), receivedOn, deadline, late, "kari", DateTimeOffset.UtcNow);

    private static AppealDecided Decided(AppealReceived appeal, string decision, DateTimeOffset at) =>
        new(appeal.CaseId, appeal.GrantId, appeal.AppealId, decision, null, "kari", at);

    private Task<string?> Status(Guid appealId) =>
        coordination.Database.Scalar<string?>("SELECT status FROM coordination.appeals WHERE appeal_id = @a", ("a", appealId));

    private static async Task<List<JsonElement>> Waiting(HttpClient client, Guid caseId) =>
        [.. (await client.GetAsync("/api/coordination/my-work").Expect(HttpStatusCode.OK)).GetProperty("appealsWaiting").EnumerateArray()
            .Where(a => a.GetProperty("caseId").GetGuid() == caseId)];
}
