using System.Net;
using Samskaping.Contracts.Cases;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Coordination;

/// <summary>Coordination follows the case's lifecycle both ways, through the inbox, whichever of a close and its reopen arrives first.</summary>
[Collection(CoordinationCollection.Name)]
public sealed class CaseLifecycleTests(CoordinationFixture coordination)
{
    [Fact]
    public async Task A_reopened_case_takes_relay_log_entries_again()
    {
        var caseId = await coordination.OpenCase("lead-rita", "oppvekst");
        using var lead = coordination.Client("oppvekst", "coordinator", "lead-rita");
        var closedAt = coordination.Clock.GetUtcNow();
        await coordination.Publish(new CaseClosed(caseId, "Målene er nådd.", "lead-rita", closedAt));
        await Eventually.True(async () => (await Note(lead, caseId)).StatusCode == HttpStatusCode.Conflict, what: "the closed case to refuse entries");

        await coordination.Publish(new CaseStatusChanged(caseId, CaseStatuses.Closed, CaseStatuses.Active, "Familien tok kontakt igjen.", "lead-rita", "oppvekst",
            closedAt.AddMinutes(1)));

        await Eventually.True(async () => (await Note(lead, caseId)).StatusCode == HttpStatusCode.Created, what: "the reopened case to take entries");
        (await lead.GetAsync($"/api/coordination/cases/{caseId}").Expect(HttpStatusCode.OK)).GetProperty("closedAt").ValueKind
            .ShouldBe(System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public async Task A_close_that_arrives_after_its_reopen_leaves_the_case_open_and_cancels_only_what_was_asked_before()
    {
        var caseId = await coordination.OpenCase("lead-siv", "oppvekst");
        await coordination.GiveConsent(caseId, "oppvekst", "kultur");
        using var lead = coordination.Client("oppvekst", "coordinator", "lead-siv");
        await lead.Post($"/api/coordination/cases/{caseId}/sectors", new { sector = "kultur" }).Expect(HttpStatusCode.Created);
        await lead.Post($"/api/coordination/cases/{caseId}/handovers", new { to = "kultur-siv", toSector = "kultur" }).Expect(HttpStatusCode.Created);
        var closedAt = coordination.Clock.GetUtcNow();
        var reopenedAt = closedAt.AddMinutes(1);

        await coordination.Publish(new CaseStatusChanged(caseId, CaseStatuses.Closed, CaseStatuses.Active, "Familien tok kontakt igjen.", "lead-siv", "oppvekst", reopenedAt));
        await Eventually.True(async () => await coordination.Database.Scalar<DateTime?>(
            "SELECT status_changed_at FROM coordination.groups WHERE case_id = @c", ("c", caseId)) is not null, what: "the reopen to be received");
        await coordination.Publish(new CaseClosed(caseId, "Målene er nådd.", "lead-siv", closedAt));

        await Eventually.True(async () => (await lead.GetAsync($"/api/coordination/cases/{caseId}/handovers").Expect(HttpStatusCode.OK))
            .Strings("status").SequenceEqual(["cancelled"]), what: "the handover asked before the closing to be cancelled");
        (await Note(lead, caseId)).StatusCode.ShouldBe(HttpStatusCode.Created, "the case was reopened after that closing");
        (await coordination.Database.Scalar<long>("SELECT count(*) FROM coordination.groups WHERE case_id = @c AND closed_at IS NULL", ("c", caseId))).ShouldBe(1);
    }

    private static Task<HttpResponseMessage> Note(HttpClient client, Guid caseId) =>
        client.Post($"/api/coordination/cases/{caseId}/relay-log", new { type = "note", text = "Familien er tilbake." });
}
