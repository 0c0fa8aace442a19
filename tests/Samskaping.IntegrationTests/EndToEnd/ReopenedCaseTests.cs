using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Samskaping.IntegrationTests.Cases;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.IntegrationTests.Security.Matrix;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.EndToEnd;

/// <summary>Every service follows a case's lifecycle both ways, through the real bus: closed refuses work, reopened takes it again.</summary>
[Collection(SystemCollection.Name)]
public sealed class ReopenedCaseTests(SystemFixture system)
{
    [Fact]
    public async Task A_case_opened_activated_closed_and_reopened_takes_grants_relay_log_entries_and_follow_ups_again()
    {
        using var kari = system.Client("oppvekst", "caseworker", "kari-reopen-" + Guid.NewGuid().ToString("N")[..8]);
        using var approver = system.Client("oppvekst", "grant-approver", "approver-reopen");
        var caseId = await CaseClient.Open(kari, "Familien Igjen");
        await CaseClient.Consent(kari, caseId, await CaseClient.AddAdult(kari, caseId, "Mona Igjen"), null, "oppvekst");
        (await CaseClient.Move(kari, caseId, "intake")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await CaseClient.Move(kari, caseId, "active", "Samtykke er gitt.")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var fund = await Created(await MatrixScene.Send(approver, HttpMethod.Post, "/api/grants/funds", MatrixScene.Fund("Gjenåpnet-fondet"), idempotent: true));
        await Eventually.True(async () => (await Schedule(kari, caseId)).Count(m => m.Kind == "follow-up") == 3, what: "the follow-ups from the activation");

        (await CaseClient.Move(kari, caseId, "closing", "Målene er nådd.")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await CaseClient.Move(kari, caseId, "closed", "Familien klarer seg selv.")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // Closed is closed everywhere first, so what follows proves the reopen, not a close that never arrived.
        await Eventually.True(async () => (await RequestGrant(kari, caseId, fund)).StatusCode == HttpStatusCode.Conflict, what: "grants to refuse the closed case");
        await Eventually.True(async () => (await Note(kari, caseId)).StatusCode == HttpStatusCode.Conflict, what: "coordination to refuse the closed case");
        await Eventually.True(async () => (await Schedule(kari, caseId)).Count(m => m.Status == "cancelled") == 3, what: "the follow-ups to be cancelled");

        (await CaseClient.Move(kari, caseId, "active", "Familien tok kontakt igjen.")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var grant = await Eventually.Get(() => RequestGrant(kari, caseId, fund), r => r.StatusCode == HttpStatusCode.Created, what: "grants to take a request again");
        (await grant.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("caseId").GetGuid().ShouldBe(caseId);
        await Eventually.Get(() => Note(kari, caseId), r => r.StatusCode == HttpStatusCode.Created, what: "coordination to take a relay-log entry again");
        (await CaseClient.Read(kari, $"/api/grants/cases/{caseId}")).GetProperty("closedAt").ValueKind.ShouldBe(JsonValueKind.Null);
        (await CaseClient.Read(kari, $"/api/coordination/cases/{caseId}")).GetProperty("closedAt").ValueKind.ShouldBe(JsonValueKind.Null);
        var schedule = await Eventually.Get(() => Schedule(kari, caseId), s => s.Where(m => m.Kind == "follow-up").All(m => m.Status == "due"),
            what: "the follow-ups to be due again");
        schedule.ShouldContain(m => m.Kind == "closing", "the closing measurement taken at the closing stays");
    }

    private static Task<HttpResponseMessage> RequestGrant(HttpClient client, Guid caseId, Guid fund) =>
        MatrixScene.Send(client, HttpMethod.Post, $"/api/grants/cases/{caseId}/grants", MatrixScene.GrantRequest(fund, 400m), idempotent: true);

    private static Task<HttpResponseMessage> Note(HttpClient client, Guid caseId) =>
        client.PostAsJsonAsync($"/api/coordination/cases/{caseId}/relay-log", new { type = "note", confidentiality = "ordinary", text = "Familien er tilbake." });

    private static async Task<List<(string Kind, string Status)>> Schedule(HttpClient client, Guid caseId)
    {
        using var response = await client.GetAsync($"/api/outcomes/cases/{caseId}/schedule");
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return [];
        }
        var schedule = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. schedule.GetProperty("measurements").EnumerateArray().Select(m => (m.GetProperty("kind").GetString()!, m.GetProperty("status").GetString()!))];
    }

    private static async Task<Guid> Created(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
