using System.Net;
using Npgsql;
using Samskaping.Contracts.Coordination;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Coordination;

/// <summary>Exactly one lead coordinator at a time; a handover waits for the receiver to accept or decline.</summary>
[Collection(CoordinationCollection.Name)]
public sealed class LeadCoordinatorTests(CoordinationFixture coordination)
{
    private async Task<Guid> CaseWithTwoSectors(string lead)
    {
        var caseId = await coordination.OpenCase(lead, "oppvekst");
        await coordination.GiveConsent(caseId, "oppvekst", "helse-velferd", "kultur");
        using var leader = coordination.Client("oppvekst", "coordinator", lead);
        await leader.Post($"/api/coordination/cases/{caseId}/sectors", new { sector = "helse-velferd" }).Expect(HttpStatusCode.Created);
        await leader.Post($"/api/coordination/cases/{caseId}/sectors", new { sector = "kultur" }).Expect(HttpStatusCode.Created);
        return caseId;
    }

    [Fact]
    public async Task Two_concurrent_handover_requests_leave_one_waiting_and_two_concurrent_accepts_leave_exactly_one_lead()
    {
        var caseId = await CaseWithTwoSectors("kari");
        using var kari = coordination.Client("oppvekst", "coordinator", "kari");

        var requests = await Task.WhenAll(
            kari.Post($"/api/coordination/cases/{caseId}/handovers", new { to = "hanne", toSector = "helse-velferd", note = "Hanne kjenner familien." }),
            kari.Post($"/api/coordination/cases/{caseId}/handovers", new { to = "kjell", toSector = "kultur" }));
        requests.Select(r => (int)r.StatusCode).Order().ShouldBe([201, 409]);
        var conflict = requests.Single(r => r.StatusCode == HttpStatusCode.Conflict);
        conflict.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await coordination.Database.Scalar<long>(
            "SELECT count(*) FROM coordination.handovers WHERE case_id = @c AND status = 'requested'", ("c", caseId))).ShouldBe(1);

        var waiting = (await kari.GetAsync($"/api/coordination/cases/{caseId}/handovers").Expect(HttpStatusCode.OK)).EnumerateArray().Single();
        var handoverId = waiting.GetProperty("id").GetGuid();
        var receiver = waiting.GetProperty("to").GetString()!;
        var receiverSector = waiting.GetProperty("toSector").GetString()!;
        using var taker = coordination.Client(receiverSector, "coordinator", receiver);

        var accepts = await Task.WhenAll(
            taker.PostEmpty($"/api/coordination/cases/{caseId}/handovers/{handoverId}/accept"),
            taker.PostEmpty($"/api/coordination/cases/{caseId}/handovers/{handoverId}/accept"));

        accepts.Select(r => (int)r.StatusCode).Order().ShouldBe([200, 409]);
        (await coordination.Database.Scalar<long>(
            "SELECT count(*) FROM coordination.lead_coordinators WHERE case_id = @c AND until IS NULL", ("c", caseId))).ShouldBe(1);
        var leads = await taker.GetAsync($"/api/coordination/cases/{caseId}/leads").Expect(HttpStatusCode.OK);
        leads.Strings("coordinator").ShouldBe(["kari", receiver]);
        leads[0].GetProperty("until").GetDateTimeOffset().ShouldBe(leads[1].GetProperty("since").GetDateTimeOffset());
        var group = await taker.GetAsync($"/api/coordination/cases/{caseId}").Expect(HttpStatusCode.OK);
        group.GetProperty("lead").GetProperty("coordinator").GetString().ShouldBe(receiver);
        group.GetProperty("sectors").EnumerateArray().Single(s => s.GetProperty("role").GetString() == "lead")
            .GetProperty("sector").GetString().ShouldBe(receiverSector);
        await Eventually.True(() => Task.FromResult(
            CoordinationEventProbe.Of<CoordinatorAssigned>(e => e.CaseId == caseId && e.Coordinator == receiver).Count == 1), what: "CoordinatorAssigned");
        CoordinationEventProbe.Of<CoordinatorHandoverRequested>(e => e.CaseId == caseId).Count.ShouldBeLessThanOrEqualTo(1);
        var log = await taker.GetAsync($"/api/coordination/cases/{caseId}/relay-log").Expect(HttpStatusCode.OK);
        log.EnumerateArray().ShouldContain(e => e.GetProperty("type").GetString() == "handover");
    }

    [Fact]
    public async Task A_declined_handover_keeps_the_lead_and_needs_a_reason_from_the_receiver()
    {
        var caseId = await CaseWithTwoSectors("liv");
        using var liv = coordination.Client("oppvekst", "coordinator", "liv");
        using var hanne = coordination.Client("helse-velferd", "caseworker", "hanne-2");
        using var kjell = coordination.Client("kultur", "caseworker", "kjell-2");
        var handover = await liv.Post($"/api/coordination/cases/{caseId}/handovers", new { to = "hanne-2", toSector = "helse-velferd" }).Expect(HttpStatusCode.Created);
        var path = $"/api/coordination/cases/{caseId}/handovers/{handover.GetProperty("id").GetGuid()}";
        await Eventually.True(() => Task.FromResult(
            CoordinationEventProbe.Of<CoordinatorHandoverRequested>(e => e.CaseId == caseId && e.To == "hanne-2").Count == 1), what: "CoordinatorHandoverRequested");

        var noReason = await hanne.Post($"{path}/decline", new { reason = " " }).ExpectProblem(HttpStatusCode.UnprocessableEntity);
        noReason.GetProperty("errors").TryGetProperty("reason", out _).ShouldBeTrue();
        await kjell.Post($"{path}/decline", new { reason = "Ikke min" }).ExpectProblem(HttpStatusCode.Forbidden);
        await kjell.PostEmpty($"{path}/accept").ExpectProblem(HttpStatusCode.Forbidden);
        var myWork = await hanne.GetAsync("/api/coordination/my-work").Expect(HttpStatusCode.OK);
        myWork.GetProperty("handoversWaiting").EnumerateArray().ShouldContain(h => h.GetProperty("caseId").GetGuid() == caseId);

        var declined = await hanne.Post($"{path}/decline", new { reason = "Vi har ikke kapasitet nå." }).Expect(HttpStatusCode.OK);

        declined.GetProperty("status").GetString().ShouldBe("declined");
        declined.GetProperty("reason").GetString().ShouldBe("Vi har ikke kapasitet nå.");
        await hanne.PostEmpty($"{path}/accept").ExpectProblem(HttpStatusCode.Conflict, "a declined handover cannot be accepted");
        var group = await liv.GetAsync($"/api/coordination/cases/{caseId}").Expect(HttpStatusCode.OK);
        group.GetProperty("lead").GetProperty("coordinator").GetString().ShouldBe("liv");
        // The next request may now wait.
        await liv.Post($"/api/coordination/cases/{caseId}/handovers", new { to = "kjell-2", toSector = "kultur" }).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Only_the_lead_hands_over_and_only_to_a_participating_sector()
    {
        var caseId = await CaseWithTwoSectors("per");
        using var per = coordination.Client("oppvekst", "coordinator", "per");
        using var hanne = coordination.Client("helse-velferd", "caseworker", "hanne-3");

        await hanne.Post($"/api/coordination/cases/{caseId}/handovers", new { to = "hanne-3", toSector = "helse-velferd" }).ExpectProblem(HttpStatusCode.Forbidden);
        await per.Post($"/api/coordination/cases/{caseId}/handovers", new { to = "nils", toSector = "nav" }).ExpectProblem(HttpStatusCode.Conflict);
        await per.Post($"/api/coordination/cases/{caseId}/handovers", new { to = "nils", toSector = "ukjent" }).ExpectProblem(HttpStatusCode.UnprocessableEntity);
        await per.Post($"/api/coordination/cases/{caseId}/handovers", new { to = "per", toSector = "oppvekst" }).ExpectProblem(HttpStatusCode.UnprocessableEntity);

        var handover = await per.Post($"/api/coordination/cases/{caseId}/handovers", new { to = "hanne-3", toSector = "helse-velferd" }).Expect(HttpStatusCode.Created);
        await per.PostEmpty($"/api/coordination/cases/{caseId}/handovers/{handover.GetProperty("id").GetGuid()}/cancel").Expect(HttpStatusCode.OK);
        (await coordination.Database.Scalar<string>(
            "SELECT coordinator FROM coordination.lead_coordinators WHERE case_id = @c AND until IS NULL", ("c", caseId))).ShouldBe("per");
    }

    [Fact]
    public async Task The_database_refuses_a_second_current_lead()
    {
        var caseId = await coordination.OpenCase("ola", "oppvekst");
        await using var connection = new NpgsqlConnection(coordination.Database.ConnectionString);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand(
            "INSERT INTO coordination.lead_coordinators (id, case_id, coordinator, sector, since) VALUES (gen_random_uuid(), @c, 'someone', 'kultur', now())", connection);
        insert.Parameters.AddWithValue("c", caseId);

        var refused = await Should.ThrowAsync<PostgresException>(() => insert.ExecuteNonQueryAsync());

        refused.SqlState.ShouldBe(PostgresErrorCodes.UniqueViolation);
        refused.ConstraintName.ShouldBe("lead_coordinators_one_current");
    }
}
