using System.Net;
using Samskaping.Contracts.Coordination;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Coordination;

/// <summary>A sector joins only under a consent that covers it, and leaves — losing access — when that consent is withdrawn.</summary>
[Collection(CoordinationCollection.Name)]
public sealed class ConsentTests(CoordinationFixture coordination)
{
    [Fact]
    public async Task Joining_without_a_consent_that_covers_the_sector_is_409_and_changes_nothing()
    {
        var caseId = await coordination.OpenCase("lead-dag", "oppvekst");
        await coordination.GiveConsent(caseId, "oppvekst", "kultur");
        using var lead = coordination.Client("oppvekst", "coordinator", "lead-dag");

        var problem = await lead.Post($"/api/coordination/cases/{caseId}/sectors", new { sector = "helse-velferd" }).ExpectProblem(HttpStatusCode.Conflict);

        problem.GetProperty("detail").GetString()!.ShouldContain("does not cover sector helse-velferd");
        (await coordination.Database.Scalar<long>(
            "SELECT count(*) FROM coordination.group_sectors WHERE case_id = @c", ("c", caseId))).ShouldBe(1);
        await lead.Post($"/api/coordination/cases/{caseId}/sectors", new { sector = "kultur" }).Expect(HttpStatusCode.Created);
        await lead.Post($"/api/coordination/cases/{caseId}/sectors", new { sector = "kultur" }).ExpectProblem(HttpStatusCode.Conflict, "already takes part");
        await lead.Post($"/api/coordination/cases/{caseId}/sectors", new { sector = "barnevern" }).ExpectProblem(HttpStatusCode.UnprocessableEntity, "unknown sector");
        using var outsider = coordination.Client("nav", "caseworker", "nav-nina");
        await outsider.Post($"/api/coordination/cases/{caseId}/sectors", new { sector = "nav" }).ExpectProblem(HttpStatusCode.NotFound, "an outsider cannot add itself");
    }

    [Fact]
    public async Task Opening_a_case_announces_nothing_beyond_CaseOpened_and_a_sector_joining_later_is_announced()
    {
        var caseId = await coordination.OpenCase("lead-ida", "oppvekst");
        await coordination.GiveConsent(caseId, "oppvekst", "kultur");
        using var lead = coordination.Client("oppvekst", "coordinator", "lead-ida");
        var group = await lead.GetAsync($"/api/coordination/cases/{caseId}").Expect(HttpStatusCode.OK);
        group.GetProperty("lead").GetProperty("coordinator").GetString().ShouldBe("lead-ida");

        await lead.Post($"/api/coordination/cases/{caseId}/sectors", new { sector = "kultur" }).Expect(HttpStatusCode.Created);

        await Eventually.True(() => Task.FromResult(
            CoordinationEventProbe.Of<SectorJoinedCase>(e => e.CaseId == caseId).Count == 1), what: "kultur's SectorJoinedCase");
        // The case's rows are published in order: anything the opening had announced would have come first.
        CoordinationEventProbe.Of<SectorJoinedCase>(e => e.CaseId == caseId).Single().Sector.ShouldBe("kultur");
        CoordinationEventProbe.Of<CoordinatorAssigned>(e => e.CaseId == caseId).ShouldBeEmpty();
        (await coordination.Database.Scalar<long>(
            "SELECT count(*) FROM messaging.outbox WHERE (body->>'caseId')::uuid = @c", ("c", caseId))).ShouldBe(1, "only the join was written to the outbox");
    }

    [Fact]
    public async Task Before_any_consent_only_the_opening_sector_works_on_the_case_and_no_other_can_join()
    {
        var caseId = await coordination.OpenCase("lead-eli", "oppvekst");
        using var lead = coordination.Client("oppvekst", "coordinator", "lead-eli");
        using var colleague = coordination.Client("oppvekst", "caseworker", "oppvekst-erik");

        await colleague.GetAsync($"/api/coordination/cases/{caseId}").Expect(HttpStatusCode.OK);
        await lead.Post($"/api/coordination/cases/{caseId}/sectors", new { sector = "nav" }).ExpectProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Withdrawing_the_consent_removes_the_sector_and_its_access_end_to_end()
    {
        var caseId = await coordination.OpenCase("lead-frida", "oppvekst");
        var consent = await coordination.GiveConsent(caseId, "oppvekst", "helse-velferd");
        using var lead = coordination.Client("oppvekst", "coordinator", "lead-frida");
        using var helse = coordination.Client("helse-velferd", "caseworker", "hv-hilde");
        using var leadsColleague = coordination.Client("oppvekst", "caseworker", "oppvekst-ole");
        await lead.Post($"/api/coordination/cases/{caseId}/sectors", new { sector = "helse-velferd" }).Expect(HttpStatusCode.Created);
        await helse.GetAsync($"/api/coordination/cases/{caseId}").Expect(HttpStatusCode.OK, "right after joining");
        await Eventually.True(() => Task.FromResult(
            CoordinationEventProbe.Of<SectorJoinedCase>(e => e.CaseId == caseId && e.Sector == "helse-velferd").Count == 1), what: "SectorJoinedCase");

        await coordination.WithdrawConsent(caseId, consent);

        await Eventually.True(async () => (await helse.GetAsync($"/api/coordination/cases/{caseId}")).StatusCode == HttpStatusCode.NotFound,
            what: "helse-velferd to lose access");
        await Eventually.True(() => Task.FromResult(
            CoordinationEventProbe.Of<SectorLeftCase>(e => e.CaseId == caseId && e.Sector == "helse-velferd" && e.Reason == "consent withdrawn").Count == 1),
            what: "SectorLeftCase on the bus");
        await helse.Post($"/api/coordination/cases/{caseId}/relay-log", new { type = "note", text = "x" }).ExpectProblem(HttpStatusCode.NotFound);
        // The lead's sector keeps the main responsibility (the law wants one); only the lead in person still sees the case.
        var group = await lead.GetAsync($"/api/coordination/cases/{caseId}").Expect(HttpStatusCode.OK);
        group.GetProperty("sectors").Strings("sector").ShouldBe(["oppvekst"]);
        await leadsColleague.GetAsync($"/api/coordination/cases/{caseId}").ExpectProblem(HttpStatusCode.NotFound);
        (await coordination.Database.Scalar<string>(
            "SELECT reason FROM coordination.sector_departures WHERE case_id = @c AND sector = 'helse-velferd'", ("c", caseId))).ShouldBe("consent withdrawn");

        // A new consent lets the sector join again.
        await coordination.GiveConsent(caseId, "oppvekst", "helse-velferd");
        await lead.Post($"/api/coordination/cases/{caseId}/sectors", new { sector = "helse-velferd" }).Expect(HttpStatusCode.Created);
        await helse.GetAsync($"/api/coordination/cases/{caseId}").Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_sector_that_another_valid_consent_still_covers_stays_when_one_consent_is_withdrawn()
    {
        var caseId = await coordination.OpenCase("lead-hans", "oppvekst");
        var mothers = await coordination.GiveConsent(caseId, "oppvekst", "kultur", "nav");
        await coordination.GiveConsent(caseId, "oppvekst", "kultur");
        using var lead = coordination.Client("oppvekst", "coordinator", "lead-hans");
        await lead.Post($"/api/coordination/cases/{caseId}/sectors", new { sector = "kultur" }).Expect(HttpStatusCode.Created);
        await lead.Post($"/api/coordination/cases/{caseId}/sectors", new { sector = "nav" }).Expect(HttpStatusCode.Created);

        await coordination.WithdrawConsent(caseId, mothers);

        await Eventually.True(() => Task.FromResult(
            CoordinationEventProbe.Of<SectorLeftCase>(e => e.CaseId == caseId).Count > 0), what: "SectorLeftCase");
        var group = await lead.GetAsync($"/api/coordination/cases/{caseId}").Expect(HttpStatusCode.OK);
        group.GetProperty("sectors").Strings("sector").Order().ShouldBe(["kultur", "oppvekst"]);
        CoordinationEventProbe.Of<SectorLeftCase>(e => e.CaseId == caseId).Select(e => e.Sector).ShouldBe(["nav"]);
        using var kultur = coordination.Client("kultur", "caseworker", "kultur-kaja");
        await kultur.GetAsync($"/api/coordination/cases/{caseId}").Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_sector_can_leave_but_the_lead_sector_only_after_a_handover()
    {
        var caseId = await coordination.OpenCase("lead-gro", "oppvekst");
        await coordination.GiveConsent(caseId, "oppvekst", "kultur");
        using var lead = coordination.Client("oppvekst", "coordinator", "lead-gro");
        using var kultur = coordination.Client("kultur", "caseworker", "kultur-kari");
        await lead.Post($"/api/coordination/cases/{caseId}/sectors", new { sector = "kultur" }).Expect(HttpStatusCode.Created);

        await kultur.DeleteAsync($"/api/coordination/cases/{caseId}/sectors/oppvekst").ExpectProblem(HttpStatusCode.Forbidden);
        await lead.DeleteAsync($"/api/coordination/cases/{caseId}/sectors/oppvekst").ExpectProblem(HttpStatusCode.Conflict);
        await kultur.DeleteAsync($"/api/coordination/cases/{caseId}/sectors/kultur").Expect(HttpStatusCode.NoContent);

        await kultur.GetAsync($"/api/coordination/cases/{caseId}").ExpectProblem(HttpStatusCode.NotFound);
        await lead.DeleteAsync($"/api/coordination/cases/{caseId}/sectors/kultur").ExpectProblem(HttpStatusCode.Conflict, "gone already");
    }
}
