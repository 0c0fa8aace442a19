using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.Outcomes.Reports;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Outcomes;

/// <summary>When a measurement is complete, when it may be answered, and which answer counts as the latest.</summary>
[Collection(OutcomesCollection.Name)]
public sealed class MeasurementRulesTests(OutcomesSystem system)
{
    [Fact]
    public async Task A_measurement_is_completed_when_every_member_of_the_household_has_answered_it()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var (caseId, mother, child) = await system.OpenCase();
        await system.Activate(caseId);
        var baseline = await system.MeasurementId(caseId, "baseline");

        (await Answer(kari, caseId, baseline, mother, "self", 5)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var afterMother = await Measurement(kari, caseId, baseline);
        (await Answer(kari, caseId, baseline, child, "guardian", 6)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var afterChild = await Measurement(kari, caseId, baseline);

        afterMother.GetProperty("status").GetString().ShouldBe("due", "the child has not answered yet");
        afterMother.GetProperty("completedAt").ValueKind.ShouldBe(JsonValueKind.Null);
        afterChild.GetProperty("status").GetString().ShouldBe("completed");
        afterChild.GetProperty("completedAt").GetDateTimeOffset().ShouldBe(system.Clock.GetUtcNow());
        // One event per person; the one whose answers completed the measurement says so.
        await Eventually.True(() => Task.FromResult(Received.Completed.Count(c => c.Message.MeasurementId == baseline) >= 2), what: "both MeasurementCompleted");
        Received.Completed.Where(c => c.Message.MeasurementId == baseline).Select(c => (c.Message.PersonId, c.Message.MeasurementComplete)).Distinct()
            .ShouldBe([(mother, false), (child, true)], ignoreOrder: true);
    }

    [Fact]
    public async Task A_follow_up_can_not_be_answered_until_two_weeks_before_it_is_due()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var (caseId, mother, _) = await system.OpenCase();
        await system.Activate(caseId);
        var followUp = await system.MeasurementId(caseId, "follow-up", 3);
        var dueAt = (await Measurement(kari, caseId, followUp)).GetProperty("dueAt").GetDateTimeOffset();

        var onTheFirstDay = await Answer(kari, caseId, followUp, mother, "self", 5);
        system.Clock.Advance(dueAt.AddDays(-14) - system.Clock.GetUtcNow() - TimeSpan.FromMinutes(1));
        var justBefore = await Answer(kari, caseId, followUp, mother, "self", 5);
        system.Clock.Advance(TimeSpan.FromMinutes(2));
        var inTheWindow = await Answer(kari, caseId, followUp, mother, "self", 5);

        foreach (var early in new[] { onTheFirstDay, justBefore })
        {
            early.StatusCode.ShouldBe(HttpStatusCode.Conflict, await early.Content.ReadAsStringAsync());
            var problem = await early.Content.ReadFromJsonAsync<JsonElement>();
            problem.GetProperty("title").GetString().ShouldBe("The measurement is not open for answers yet.");
            problem.GetProperty("detail").GetString()!.ShouldContain(dueAt.AddDays(-14).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }
        inTheWindow.StatusCode.ShouldBe(HttpStatusCode.Created, await inTheWindow.Content.ReadAsStringAsync());
        (await system.Database.Scalar<long>("SELECT count(*) FROM outcomes.responses WHERE case_id = @c", ("c", caseId))).ShouldBe(1);
    }

    [Fact]
    public async Task Change_runs_to_the_latest_point_of_the_schedule_even_when_an_earlier_point_was_answered_later()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var (caseId, mother, _) = await system.OpenCase();
        await system.Activate(caseId);
        var (baseline, threeMonths, sixMonths) = (await system.MeasurementId(caseId, "baseline"),
            await system.MeasurementId(caseId, "follow-up", 3), await system.MeasurementId(caseId, "follow-up", 6));
        (await Answer(kari, caseId, baseline, mother, "self", 3)).StatusCode.ShouldBe(HttpStatusCode.Created);

        // The 6-month follow-up is answered when it is due; the 3-month one, missed, is caught up a day later.
        system.Clock.Advance((await Measurement(kari, caseId, sixMonths)).GetProperty("dueAt").GetDateTimeOffset() - system.Clock.GetUtcNow());
        (await Answer(kari, caseId, sixMonths, mother, "self", 9)).StatusCode.ShouldBe(HttpStatusCode.Created);
        system.Clock.Advance(TimeSpan.FromDays(1));
        (await Answer(kari, caseId, threeMonths, mother, "self", 4)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var change = await kari.GetFromJsonAsync<JsonElement>($"/api/outcomes/cases/{caseId}/change");
        var lifeSatisfaction = change.GetProperty("people").EnumerateArray().Single(p => p.GetProperty("personId").GetGuid() == mother)
            .GetProperty("domains").EnumerateArray().Single(d => d.GetProperty("domain").GetString() == "life-satisfaction");
        lifeSatisfaction.GetProperty("latest").GetDouble().ShouldBe(9);
        lifeSatisfaction.GetProperty("change").GetDouble().ShouldBe(6);

        // The group reports take the same latest point.
        var rows = await system.Service.Services.GetRequiredService<ReportStore>().Changes("life-satisfaction", [], 6, CancellationToken.None);
        rows.Single(r => r.PersonId == mother && r.CaseId == caseId).Latest.ShouldBe(9);
    }

    private static Task<HttpResponseMessage> Answer(HttpClient worker, Guid caseId, Guid measurementId, Guid person, string respondent, int lifeSatisfaction) =>
        worker.PostAsJsonAsync($"/api/outcomes/cases/{caseId}/measurements/{measurementId}/responses", new
        {
            personId = person,
            respondent,
            answers = new[] { new { itemId = "life-satisfaction", value = lifeSatisfaction } },
        });

    private static async Task<JsonElement> Measurement(HttpClient worker, Guid caseId, Guid measurementId) =>
        (await worker.GetFromJsonAsync<JsonElement>($"/api/outcomes/cases/{caseId}/schedule"))
            .GetProperty("measurements").EnumerateArray().Single(m => m.GetProperty("id").GetGuid() == measurementId);
}
