using System.Net;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Samskaping.Contracts.Coordination;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Cases;

/// <summary>docs/architecture.md §5 through the gateway: participation AND a valid consent covering the sector, otherwise 404.</summary>
[Collection(SystemCollection.Name)]
public sealed class CaseAccessTests(SystemFixture system)
{
    [Fact]
    public async Task A_second_sector_sees_the_case_only_while_it_participates_and_a_consent_covers_it()
    {
        using var kari = system.Client("oppvekst", "caseworker", subject: "kari-access");
        using var hanne = system.Client("helse-velferd", "caseworker", subject: "hanne-access");
        var caseId = await CaseClient.Open(kari, "Familien Tilgang");
        var mona = await CaseClient.AddAdult(kari, caseId);
        await CaseClient.Consent(kari, caseId, mona, null, "oppvekst");
        var paths = Paths(caseId);

        await ShouldAllBe(hanne, paths, HttpStatusCode.NotFound, "no participation, no consent");

        // Coordination lets helse-velferd join: on the real bus, as coordination publishes it.
        await system.Services("coordination").GetRequiredService<IBus>().Publish(new SectorJoinedCase(caseId, "helse-velferd", "contributor", DateTimeOffset.UtcNow));
        await Eventually.True(async () => await system.Database("cases").Scalar<long>(
            "SELECT count(*) FROM access.case_sectors WHERE case_id = @c AND sector = 'helse-velferd' AND participating", ("c", caseId)) == 1,
            what: "the participation to reach cases");
        await ShouldAllBe(hanne, paths, HttpStatusCode.NotFound, "participating, but no consent covers helse-velferd");

        var shared = await CaseClient.Consent(kari, caseId, mona, null, "oppvekst", "helse-velferd");
        await ShouldAllBe(hanne, paths, HttpStatusCode.OK, "participating and covered");
        (await hanne.PostAsJsonAsync($"/api/cases/{caseId}/needs", new { text = "Sover dårlig.", saidBy = "Mor" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await hanne.GetFromJsonAsync<CaseListPageView>("/api/cases?limit=100"))!.Items.ShouldContain(i => i.Id == caseId);

        var withdrawn = await kari.PostAsJsonAsync($"/api/cases/{caseId}/consents/{shared}/withdrawal", new { reason = "Mor vil ikke dele med helse lenger." });
        withdrawn.StatusCode.ShouldBe(HttpStatusCode.OK);
        await ShouldAllBe(hanne, paths, HttpStatusCode.NotFound, "the consent was withdrawn");
        (await hanne.PostAsJsonAsync($"/api/cases/{caseId}/needs", new { text = "x" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await hanne.GetFromJsonAsync<CaseListPageView>("/api/cases?limit=100"))!.Items.ShouldNotContain(i => i.Id == caseId);
        await ShouldAllBe(kari, paths, HttpStatusCode.OK, "oppvekst is still covered by the first consent");
    }

    [Fact]
    public async Task Every_case_endpoint_answers_404_outside_and_writes_nothing()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        using var nils = system.Client("nav", "coordinator");
        var caseId = await CaseClient.Open(kari);
        var mona = await CaseClient.AddAdult(kari, caseId);
        var consent = await CaseClient.Consent(kari, caseId, mona);
        var before = await Rows(caseId);

        await ShouldAllBe(nils, Paths(caseId), HttpStatusCode.NotFound, "nav takes no part");
        var writes = new (string Path, object Body)[]
        {
            ($"/api/cases/{caseId}/status", new { to = "intake", reason = "x" }),
            ($"/api/cases/{caseId}/needs", new { text = "x" }),
            ($"/api/cases/{caseId}/resources", new { text = "x" }),
            ($"/api/cases/{caseId}/goals", new { text = "x", proposedBy = "family" }),
            ($"/api/cases/{caseId}/goals/{Guid.NewGuid()}/status", new { status = "achieved" }),
            ($"/api/cases/{caseId}/members", new { name = "x", role = "child", birthDate = "2015-01-01" }),
            ($"/api/cases/{caseId}/consents", new { personId = mona, givenByPersonId = mona, sectors = new[] { "nav" }, purposes = new[] { "coordination" }, dataCategories = new[] { "needs" } }),
            ($"/api/cases/{caseId}/consents/{consent}/withdrawal", new { reason = "x" }),
            ($"/api/cases/{caseId}/members/{mona}/guardians", new { guardianId = mona }),
        };
        foreach (var (path, body) in writes)
        {
            var response = await nils.PostAsJsonAsync(path, body);
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json", path);
        }
        (await Rows(caseId)).ShouldBe(before);
    }

    internal static string[] Paths(Guid caseId) =>
    [
        $"/api/cases/{caseId}", $"/api/cases/{caseId}/timeline", $"/api/cases/{caseId}/consents", $"/api/cases/{caseId}/status-history",
    ];

    private static async Task ShouldAllBe(HttpClient client, string[] paths, HttpStatusCode status, string why)
    {
        foreach (var path in paths)
        {
            (await client.GetAsync(path)).StatusCode.ShouldBe(status, $"{path}: {why}");
        }
    }

    private async Task<string> Rows(Guid caseId) =>
        (await system.Database("cases").Scalar<string>(
            """
            SELECT concat_ws(',', (SELECT count(*) FROM cases.needs WHERE case_id = @c), (SELECT count(*) FROM cases.resources WHERE case_id = @c),
                (SELECT count(*) FROM cases.goals WHERE case_id = @c), (SELECT count(*) FROM cases.consents WHERE case_id = @c AND withdrawn_at IS NULL),
                (SELECT count(*) FROM cases.household_members m JOIN cases.cases c ON c.household_id = m.household_id WHERE c.id = @c),
                (SELECT status FROM cases.cases WHERE id = @c), (SELECT count(*) FROM messaging.outbox))
            """, ("c", caseId)))!;

    private sealed record CaseListPageView(List<CaseListItemView> Items, string? NextCursor);

    private sealed record CaseListItemView(Guid Id, string HouseholdName, string Status);
}
