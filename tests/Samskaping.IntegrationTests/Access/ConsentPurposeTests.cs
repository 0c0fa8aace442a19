using System.Net;
using System.Net.Http.Json;
using Samskaping.IntegrationTests.Cases;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Grants;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Access;

/// <summary>
/// docs/privacy.md "Consent: which purpose and which kinds of data gate what", through the gateway: a sector that takes
/// part in a case works on it in a service only while a valid consent covers the sector for that service's purpose;
/// outside it, the service's reads and writes answer 404. The lead coordinator is not bound by the purpose.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class ConsentPurposeTests(SystemFixture system)
{
    private static readonly string[] Services = ["cases", "coordination", "grants", "outcomes", "benefits"];
    private static readonly string[] Needs = ["needs"];

    [Fact]
    public async Task Each_service_answers_a_participating_sector_only_for_the_purposes_its_consents_name()
    {
        using var kari = system.Client("oppvekst", "caseworker", subject: "kari-purpose");
        using var ola = system.Client("oppvekst", "caseworker", subject: "ola-purpose");
        using var hanne = system.Client("helse-velferd", "caseworker", subject: "hanne-purpose");
        var caseId = await CaseClient.Open(kari, "Familien Formål");
        var mona = await CaseClient.AddAdult(kari, caseId);
        await GiveConsent(kari, caseId, mona, ["oppvekst", "helse-velferd"], ["coordination"]);
        var joined = await kari.PostAsJsonAsync($"/api/coordination/cases/{caseId}/sectors", new { sector = "helse-velferd" });
        joined.IsSuccessStatusCode.ShouldBeTrue(await joined.Content.ReadAsStringAsync());
        await EveryServiceKnows(caseId, consents: 1);

        var coordinationReads = new[] { $"/api/cases/{caseId}", $"/api/coordination/cases/{caseId}" };
        var gatedReads = new[] { $"/api/grants/cases/{caseId}", $"/api/outcomes/cases/{caseId}/schedule", $"/api/benefits/cases/{caseId}" };
        var grantRequest = GrantsFixture.Request(Guid.NewGuid(), 10m);

        foreach (var worker in new[] { hanne, ola })
        {
            await ShouldAllBe(worker, coordinationReads, HttpStatusCode.OK, "the consent names coordination");
            await ShouldAllBe(worker, gatedReads, HttpStatusCode.NotFound, "the consent names neither grants, outcome-measurement nor benefit-coordination");
            var refused = await GrantsFixture.Post(worker, $"/api/grants/cases/{caseId}/grants", grantRequest);
            refused.StatusCode.ShouldBe(HttpStatusCode.NotFound, "a write outside the purpose is refused as a read is");
            refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }
        (await hanne.PostAsJsonAsync($"/api/cases/{caseId}/needs", new { text = "Sover dårlig.", saidBy = "Mor" })).StatusCode
            .ShouldBe(HttpStatusCode.Created, "writing to the case is coordination");
        await ShouldAllBe(kari, [.. coordinationReads, .. gatedReads], HttpStatusCode.OK, "the lead coordinator is not bound by the purpose");

        await GiveConsent(kari, caseId, mona, ["helse-velferd"], ["grants", "outcome-measurement", "benefit-coordination"]);
        await EveryServiceKnows(caseId, consents: 2);
        await ShouldAllBe(hanne, [.. coordinationReads, .. gatedReads], HttpStatusCode.OK, "a consent now names every purpose for helse-velferd");
        (await GrantsFixture.Post(hanne, $"/api/grants/cases/{caseId}/grants", grantRequest)).StatusCode
            .ShouldBe(HttpStatusCode.UnprocessableEntity, "past the access check, the unknown fund is what is wrong");
        await ShouldAllBe(ola, gatedReads, HttpStatusCode.NotFound, "the second consent does not cover oppvekst");
    }

    private static async Task GiveConsent(HttpClient client, Guid caseId, Guid person, string[] sectors, string[] purposes)
    {
        var response = await client.PostAsJsonAsync($"/api/cases/{caseId}/consents",
            new { personId = person, givenByPersonId = person, sectors, purposes, dataCategories = Needs });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private async Task EveryServiceKnows(Guid caseId, int consents)
    {
        foreach (var service in Services)
        {
            await Eventually.True(async () => await system.Database(service).Scalar<long>(
                """
                SELECT (SELECT count(*) FROM access.case_consents WHERE case_id = @c AND cardinality(sectors) > 0)
                     + (SELECT count(*) FROM access.case_sectors WHERE case_id = @c AND sector = 'helse-velferd' AND participating)
                """, ("c", caseId)) == consents + 1, what: $"the consents and the participation to reach {service}");
        }
    }

    private static async Task ShouldAllBe(HttpClient client, string[] paths, HttpStatusCode status, string why)
    {
        foreach (var path in paths)
        {
            var response = await client.GetAsync(path);
            response.StatusCode.ShouldBe(status, $"{path}: {why}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
