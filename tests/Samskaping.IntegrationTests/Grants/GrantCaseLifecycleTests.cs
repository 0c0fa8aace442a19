using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Samskaping.Contracts.Cases;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Grants;

/// <summary>Grants follows the case's lifecycle both ways, through the inbox, whichever of a close and its reopen arrives first.</summary>
[Collection(GrantsCollection.Name)]
public sealed class GrantCaseLifecycleTests(GrantsFixture grants)
{
    [Fact]
    public async Task A_reopened_case_takes_grant_requests_again_and_a_redelivered_reopen_changes_nothing()
    {
        var fund = (await grants.CreateFund(budget: 5_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        var closedAt = DateTimeOffset.UtcNow;
        await grants.Bus.Publish(new CaseClosed(caseId, "Målene er nådd.", "kari", closedAt));
        await Eventually.True(async () => (await RequestGrant(kari, caseId, fund)).StatusCode == HttpStatusCode.Conflict, what: "grants to refuse the closed case");
        var reopened = new CaseStatusChanged(caseId, CaseStatuses.Closed, CaseStatuses.Active, "Familien tok kontakt igjen.", "kari", "oppvekst", closedAt.AddMinutes(1));
        var messageId = Guid.NewGuid();

        await grants.Bus.Publish(reopened, c => c.MessageId = messageId);
        await grants.Bus.Publish(reopened, c => c.MessageId = messageId);

        var created = await Eventually.Get(() => RequestGrant(kari, caseId, fund), r => r.StatusCode == HttpStatusCode.Created, what: "grants to take a request again");
        (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("caseId").GetGuid().ShouldBe(caseId);
        (await kari.GetFromJsonAsync<JsonElement>($"/api/grants/cases/{caseId}")).GetProperty("closedAt").ValueKind.ShouldBe(JsonValueKind.Null);
        await Eventually.True(async () => await grants.Database.Scalar<long>(
            "SELECT count(*) FROM messaging.inbox WHERE consumer = 'CaseStatusChangedConsumer' AND message_id = @m", ("m", messageId)) == 1,
            what: "the reopen to be received once");
    }

    [Fact]
    public async Task A_close_that_arrives_after_its_reopen_leaves_the_case_open_and_stops_only_what_was_planned_before_the_reopen()
    {
        var fund = (await grants.CreateFund(budget: 5_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        var beforeClosing = await DisbursementTests.ApprovedPlan(kari, caseId, fund, 100m, 2);
        var closedAt = DateTimeOffset.UtcNow;
        var reopenedAt = closedAt.AddMilliseconds(1);

        await grants.Bus.Publish(new CaseStatusChanged(caseId, CaseStatuses.Closed, CaseStatuses.Active, "Familien tok kontakt igjen.", "kari", "oppvekst", reopenedAt));
        await Eventually.True(async () => await grants.Database.Scalar<DateTime?>(
            "SELECT status_changed_at FROM grants.cases WHERE case_id = @c", ("c", caseId)) is not null, what: "the reopen to be received");
        var afterReopening = await DisbursementTests.ApprovedPlan(kari, caseId, fund, 100m, 1);
        await grants.Bus.Publish(new CaseClosed(caseId, "Målene er nådd.", "kari", closedAt));

        foreach (var id in beforeClosing)
        {
            await Eventually.True(async () => await Status(id) == "stopped", what: "a disbursement planned before the closing to be stopped");
        }
        (await Status(afterReopening[0])).ShouldBe("planned", "planned after the reopen, for the case as it is now");
        (await kari.GetFromJsonAsync<JsonElement>($"/api/grants/cases/{caseId}")).GetProperty("closedAt").ValueKind.ShouldBe(JsonValueKind.Null);
        (await RequestGrant(kari, caseId, fund)).StatusCode.ShouldBe(HttpStatusCode.Created);
        await grants.AssertLedgerConsistent();
    }

    private Task<string?> Status(Guid disbursementId) =>
        grants.Database.Scalar<string>("SELECT status FROM grants.disbursements WHERE id = @d", ("d", disbursementId));

    private static Task<HttpResponseMessage> RequestGrant(HttpClient client, Guid caseId, Guid fund) =>
        GrantsFixture.Post(client, $"/api/grants/cases/{caseId}/grants", GrantsFixture.Request(fund, 10m));
}
