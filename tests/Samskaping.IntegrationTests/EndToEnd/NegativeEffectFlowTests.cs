using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Samskaping.IntegrationTests.Cases;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.EndToEnd;

/// <summary>
/// The pilot's paradoxes must reach the person responsible: a family member's answer about gratitude debt, given
/// in outcomes, becomes a task for the case's lead coordinator in coordination — through the real cases,
/// outcomes and coordination services, the gateway and RabbitMQ, with nothing published by the test itself.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class NegativeEffectFlowTests(SystemFixture system)
{
    [Fact]
    public async Task A_negative_effect_answered_in_outcomes_becomes_a_task_for_the_lead_coordinator()
    {
        using var ola = system.Client("oppvekst", "caseworker", "e2e-ola-" + Guid.NewGuid().ToString("N")[..8]);
        using var measured = new Operations.ServiceMeasurements(system.Services("outcomes"));
        var caseId = await CaseClient.Open(ola);
        var mother = await CaseClient.AddAdult(ola, caseId);
        await CaseClient.Consent(ola, caseId, mother, null, "oppvekst");
        (await CaseClient.Move(ola, caseId, "intake")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await CaseClient.Move(ola, caseId, "active", "Samtykke er gitt.")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Outcomes learns of the activation and the member from cases' events and schedules the baseline.
        var baseline = await Eventually.Get(
            async () => await ReadWhenThere(ola, $"/api/outcomes/cases/{caseId}/schedule"),
            s => s.ValueKind == JsonValueKind.Object && s.GetProperty("measurements").EnumerateArray().Any(m => m.GetProperty("kind").GetString() == "baseline"),
            what: "the baseline measurement");
        var measurementId = baseline.GetProperty("measurements").EnumerateArray()
            .First(m => m.GetProperty("kind").GetString() == "baseline").GetProperty("id").GetGuid();

        var path = $"/api/outcomes/cases/{caseId}/measurements/{measurementId}/responses";
        var answer = new
        {
            personId = mother,
            respondent = "self",
            answers = new object[] { new { itemId = "neg-gratitude-debt", value = 9 } },
        };
        var response = await Eventually.Get(
            async () => await ola.PostAsJsonAsync(path, answer),
            r => r.StatusCode != HttpStatusCode.UnprocessableEntity, // until outcomes has heard of the member
            what: "the response to be accepted");
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        measured.Sum("samskaping.outcomes.negative_effects.reported", ("domain", "gratitude-debt")).ShouldBe(1);
        measured.ShouldCarryNoPersonalData();

        // The opener is the first lead coordinator: the task lands in their work list.
        var work = await Eventually.Get(
            async () => await ReadWhenThere(ola, "/api/coordination/my-work"),
            w => w.ValueKind == JsonValueKind.Object && w.GetProperty("tasks").EnumerateArray().Any(t => t.GetProperty("caseId").GetGuid() == caseId),
            what: "the lead's task for the negative effect");
        var tasks = work.GetProperty("tasks").EnumerateArray().Where(t => t.GetProperty("caseId").GetGuid() == caseId).ToList();
        tasks.ShouldHaveSingleItem().GetProperty("title").GetString()!.ShouldContain("gratitude-debt");
    }

    /// <summary>The body of a 200, or an undefined element while the service has not yet heard of the case (404).</summary>
    private static async Task<JsonElement> ReadWhenThere(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return default;
        }
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
