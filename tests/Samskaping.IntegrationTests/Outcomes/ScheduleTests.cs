using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Samskaping.Contracts.Cases;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.Outcomes.Schedules;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Outcomes;

/// <summary>Schedules on a fake clock: baseline and follow-ups from activation, closing from closing, MeasurementDue exactly once, overdue lists.</summary>
[Collection(OutcomesCollection.Name)]
public sealed class ScheduleTests(OutcomesSystem system)
{
    private MeasurementDueScheduler Scheduler => system.Service.Services.GetRequiredService<MeasurementDueScheduler>();

    [Fact]
    public async Task Nothing_is_measured_before_the_case_is_active_then_baseline_and_follow_ups_at_3_6_12_months()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var (caseId, _, _) = await system.OpenCase();

        var before = await kari.GetFromJsonAsync<JsonElement>($"/api/outcomes/cases/{caseId}/schedule");
        before.GetProperty("measurements").GetArrayLength().ShouldBe(0);

        var activatedAt = system.Clock.GetUtcNow();
        await system.Activate(caseId);

        var schedule = await kari.GetFromJsonAsync<JsonElement>($"/api/outcomes/cases/{caseId}/schedule");
        var measurements = schedule.GetProperty("measurements").EnumerateArray()
            .Select(m => (Kind: m.GetProperty("kind").GetString(), Due: m.GetProperty("dueAt").GetDateTimeOffset(), Status: m.GetProperty("status").GetString()))
            .ToList();
        measurements.Select(m => m.Kind).ShouldBe(["baseline", "follow-up", "follow-up", "follow-up"]);
        measurements.Select(m => m.Due).ShouldBe([activatedAt.AddDays(14), activatedAt.AddMonths(3), activatedAt.AddMonths(6), activatedAt.AddMonths(12)]);
        measurements.ShouldAllBe(m => m.Status == "due");
    }

    [Fact]
    public async Task A_second_activation_after_a_reopen_does_not_schedule_twice()
    {
        var (caseId, _, _) = await system.OpenCase();
        await system.Activate(caseId);

        const string consumed = "SELECT count(*) FROM messaging.inbox WHERE consumer = 'CaseActivatedScheduler'";
        var before = await system.Database.Scalar<long>(consumed);

        await system.Publish(new CaseStatusChanged(caseId, CaseStatuses.Closing, CaseStatuses.Active, "Reopened", "kari", "oppvekst", system.Clock.GetUtcNow().AddDays(1)));
        await Eventually.True(async () => await system.Database.Scalar<long>(consumed) == before + 1, what: "the second activation to be consumed");

        (await system.Database.Scalar<long>("SELECT count(*) FROM outcomes.measurements WHERE case_id = @c", ("c", caseId))).ShouldBe(4);
    }

    [Fact]
    public async Task A_measurement_that_becomes_due_is_announced_exactly_once_and_then_is_overdue_for_its_sector()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var (caseId, _, _) = await system.OpenCase();
        await system.Activate(caseId);
        var baseline = await system.MeasurementId(caseId, "baseline");
        await Scheduler.RunOnce(CancellationToken.None);
        (await system.Database.Scalar<DateTime?>("SELECT due_announced_at FROM outcomes.measurements WHERE id = @m", ("m", baseline))).ShouldBeNull();

        system.Clock.Advance(TimeSpan.FromDays(15));
        // Two passes at once (as two replicas would run them) and one more afterwards.
        await Task.WhenAll(Scheduler.RunOnce(CancellationToken.None), Scheduler.RunOnce(CancellationToken.None));
        await Scheduler.RunOnce(CancellationToken.None);

        await Eventually.True(() => Task.FromResult(Received.Due.Any(d => d.Message.MeasurementId == baseline)), what: "MeasurementDue on the bus");
        await Eventually.True(async () => await system.Database.Scalar<long>("SELECT count(*) FROM messaging.outbox WHERE published_at IS NULL") == 0,
            what: "the outbox to drain");
        Received.Due.Count(d => d.Message.MeasurementId == baseline).ShouldBe(1);
        (await system.Database.Scalar<long>(
            "SELECT count(*) FROM messaging.outbox WHERE message_type LIKE '%MeasurementDue%' AND body->>'measurementId' = @m", ("m", baseline.ToString()))).ShouldBe(1);
        var due = Received.Due.Single(d => d.Message.MeasurementId == baseline).Message;
        due.CaseId.ShouldBe(caseId);
        due.Kind.ShouldBe("baseline");

        var overdue = await kari.GetFromJsonAsync<JsonElement>("/api/outcomes/overdue?sector=oppvekst");
        var mine = overdue.GetProperty("measurements").EnumerateArray().Where(m => m.GetProperty("caseId").GetGuid() == caseId).ToList();
        mine.ShouldHaveSingleItem().GetProperty("kind").GetString().ShouldBe("baseline");
        mine[0].GetProperty("daysOverdue").GetInt32().ShouldBe(1);

        // Another sector's list does not show it: that sector does not take part.
        using var kultur = system.Client("kultur", "caseworker");
        var theirs = await kultur.GetFromJsonAsync<JsonElement>("/api/outcomes/overdue?sector=kultur");
        theirs.GetProperty("measurements").EnumerateArray().ShouldNotContain(m => m.GetProperty("caseId").GetGuid() == caseId);
        var asking = await kultur.GetFromJsonAsync<JsonElement>("/api/outcomes/overdue?sector=oppvekst");
        asking.GetProperty("measurements").EnumerateArray().ShouldNotContain(m => m.GetProperty("caseId").GetGuid() == caseId);
    }

    [Fact]
    public async Task Closing_schedules_a_closing_measurement_and_cancels_follow_ups_after_it()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var (caseId, _, _) = await system.OpenCase();
        await system.Activate(caseId);
        system.Clock.Advance(TimeSpan.FromDays(120));
        var closedAt = system.Clock.GetUtcNow();

        await system.Publish(new CaseClosed(caseId, "Goals reached", "kari", closedAt));
        await Eventually.True(async () => await system.Database.Scalar<long>(
            "SELECT count(*) FROM outcomes.measurements WHERE case_id = @c AND kind = 'closing'", ("c", caseId)) == 1, what: "the closing measurement");

        var schedule = await kari.GetFromJsonAsync<JsonElement>($"/api/outcomes/cases/{caseId}/schedule");
        var byKind = schedule.GetProperty("measurements").EnumerateArray()
            .Select(m => $"{m.GetProperty("kind").GetString()}:{(m.GetProperty("offsetMonths").ValueKind == JsonValueKind.Number ? m.GetProperty("offsetMonths").GetInt32() : 0)}:{m.GetProperty("status").GetString()}")
            .ToList();
        byKind.ShouldBe(["baseline:0:overdue", "follow-up:3:overdue", "closing:0:due", "follow-up:6:cancelled", "follow-up:12:cancelled"]);
        schedule.GetProperty("measurements").EnumerateArray().Single(m => m.GetProperty("kind").GetString() == "closing")
            .GetProperty("dueAt").GetDateTimeOffset().ShouldBe(closedAt.AddDays(14));
    }

    [Fact]
    public async Task A_reopen_brings_back_the_follow_ups_after_it_whichever_of_close_and_reopen_arrives_first()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var schedules = new List<List<string>>();
        foreach (var reopenFirst in new[] { false, true })
        {
            var (caseId, _, _) = await system.OpenCase();
            await system.Activate(caseId);
            var closedAt = system.Clock.GetUtcNow().AddDays(120);
            var closed = new CaseClosed(caseId, "Goals reached", "kari", closedAt);
            var reopened = new CaseStatusChanged(caseId, CaseStatuses.Closed, CaseStatuses.Active, "Back again", "kari", "oppvekst", closedAt.AddDays(70));
            foreach (var publish in reopenFirst ? new Func<Task>[] { () => Reopen(reopened), () => Close(closed) } : [() => Close(closed), () => Reopen(reopened)])
            {
                await publish();
            }

            var schedule = await kari.GetFromJsonAsync<JsonElement>($"/api/outcomes/cases/{caseId}/schedule");
            schedules.Add([.. schedule.GetProperty("measurements").EnumerateArray()
                .Select(m => $"{m.GetProperty("kind").GetString()}:{(m.GetProperty("offsetMonths").ValueKind == JsonValueKind.Number ? m.GetProperty("offsetMonths").GetInt32() : 0)}:{m.GetProperty("status").GetString()}")]);
        }

        // The 6-month follow-up falls while the case is closed; the 12-month one after the reopen.
        schedules[0].ShouldBe(["baseline:0:due", "follow-up:3:due", "closing:0:due", "follow-up:6:cancelled", "follow-up:12:due"]);
        schedules[1].ShouldBe(schedules[0], "the order the events arrived in makes no difference");
    }

    private async Task Close(CaseClosed closed)
    {
        await system.Publish(closed);
        await Eventually.True(async () => await system.Database.Scalar<long>(
            "SELECT count(*) FROM outcomes.measurements WHERE case_id = @c AND kind = 'closing'", ("c", closed.CaseId)) == 1, what: "the closing measurement");
    }

    private async Task Reopen(CaseStatusChanged reopened)
    {
        await system.Publish(reopened);
        await Eventually.True(async () => await system.Database.Scalar<long>(
            "SELECT count(*) FROM outcomes.case_lifecycle WHERE case_id = @c AND NOT closed", ("c", reopened.CaseId)) == 1, what: "the reopen to be received");
    }

    [Fact]
    public async Task The_overdue_list_needs_a_known_sector()
    {
        using var kari = system.Client("oppvekst", "caseworker");

        var response = await kari.GetAsync("/api/outcomes/overdue?sector=skole");

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").GetProperty("sector")[0].GetString()!.ShouldContain("oppvekst");
    }
}
