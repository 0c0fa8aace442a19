using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Samskaping.Grants.Letters;
using Samskaping.IntegrationTests.Cases;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.IntegrationTests.Security.Matrix;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.EndToEnd;

/// <summary>
/// An appeal registered in grants waits in coordination's "my work" until the municipality decides it: through the
/// gateway, the real cases, grants and coordination services and RabbitMQ, with nothing published by the test.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class AppealMyWorkTests(SystemFixture system)
{
    [Fact]
    public async Task An_appeal_on_a_refusal_waits_in_my_work_of_the_participating_sector_until_it_is_reversed()
    {
        using var kari = system.Client("oppvekst", "caseworker", "kari-klage-" + Guid.NewGuid().ToString("N")[..8]);
        using var kultur = system.Client("kultur", "caseworker", "kultur-klage-" + Guid.NewGuid().ToString("N")[..8]);
        using var approver = system.Client("oppvekst", "grant-approver", "approver-klage");
        var caseId = await CaseClient.Open(kari, "Familien Klage");
        await CaseClient.Consent(kari, caseId, await CaseClient.AddAdult(kari, caseId, "Mona Klage"), null, "oppvekst");
        (await CaseClient.Move(kari, caseId, "intake")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await CaseClient.Move(kari, caseId, "active", "Samtykke er gitt.")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var fund = await Id(await MatrixScene.Send(approver, HttpMethod.Post, "/api/grants/funds", MatrixScene.Fund("Klagefondet"), idempotent: true));
        var grant = await Eventually.Get(
            () => MatrixScene.Send(kari, HttpMethod.Post, $"/api/grants/cases/{caseId}/grants", MatrixScene.GrantRequest(fund, 700m), idempotent: true),
            r => r.StatusCode == HttpStatusCode.Created, what: "grants to know the case");
        var grantId = await Id(grant);
        var declined = await kari.PostAsJsonAsync($"/api/grants/grants/{grantId}/decline", new { reason = "Fondet dekker ikke utstyr." });
        declined.StatusCode.ShouldBe(HttpStatusCode.OK, await declined.Content.ReadAsStringAsync());

        var registered = await kari.PostAsJsonAsync($"/api/grants/grants/{grantId}/appeals",
            new { receivedOn = NorwegianCalendar.DayOf(DateTimeOffset.UtcNow), appellant = "Mona Klage (mor)", text = "Sara trenger skoene for å være med på laget." });
        registered.StatusCode.ShouldBe(HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
        var appeal = await registered.Content.ReadFromJsonAsync<JsonElement>();
        var appealId = appeal.GetProperty("id").GetGuid();

        var waiting = await Eventually.Get(() => Waiting(kari, caseId), a => a.Count == 1, what: "the appeal in kari's work");
        var listed = waiting.ShouldHaveSingleItem();
        listed.GetProperty("appealId").GetGuid().ShouldBe(appealId);
        listed.GetProperty("grantId").GetGuid().ShouldBe(grantId);
        listed.GetProperty("deadline").GetString().ShouldBe(appeal.GetProperty("deadline").GetString());
        listed.GetProperty("receivedOn").GetString().ShouldBe(appeal.GetProperty("receivedOn").GetString());
        listed.GetProperty("late").GetBoolean().ShouldBeFalse();
        (await Waiting(kultur, caseId)).ShouldBeEmpty("kultur takes no part in the case");

        var reversed = await MatrixScene.Send(kari, HttpMethod.Post, $"/api/grants/appeals/{appealId}/reverse",
            new { reason = "Klagen viser at skoene trengs for at Sara kan være med på laget." }, idempotent: true);
        reversed.StatusCode.ShouldBe(HttpStatusCode.OK, await reversed.Content.ReadAsStringAsync());
        await Eventually.True(async () => (await Waiting(kari, caseId)).Count == 0, what: "the reversed appeal to leave my work");
    }

    private static async Task<List<JsonElement>> Waiting(HttpClient client, Guid caseId)
    {
        using var response = await client.GetAsync("/api/coordination/my-work");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var work = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. work.GetProperty("appealsWaiting").EnumerateArray().Where(a => a.GetProperty("caseId").GetGuid() == caseId)];
    }

    private static async Task<Guid> Id(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
