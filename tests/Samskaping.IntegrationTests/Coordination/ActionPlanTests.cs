using System.Net;
using System.Net.Http.Json;
using Samskaping.Contracts.Cases;
using Samskaping.Contracts.Coordination;
using Samskaping.Contracts.Outcomes;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Coordination;

/// <summary>Goals, measures, evaluations, BTI level; overdue reviews found on a fake clock; my work.</summary>
[Collection(CoordinationCollection.Name)]
public sealed class ActionPlanTests(CoordinationFixture coordination)
{
    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_review_date_that_passes_without_an_evaluation_is_flagged_and_published_once()
    {
        var caseId = await coordination.OpenCase("lead-hege", "oppvekst");
        await coordination.GiveConsent(caseId, "oppvekst", "kultur");
        using var lead = coordination.Client("oppvekst", "coordinator", "lead-hege");
        using var kultur = coordination.Client("kultur", "caseworker", "kultur-kristian");
        await lead.Post($"/api/coordination/cases/{caseId}/sectors", new { sector = "kultur" }).Expect(HttpStatusCode.Created);
        var measure = await lead.Post($"/api/coordination/cases/{caseId}/measures", new
        {
            title = "Fotballtrening to ganger i uka",
            responsibleSector = "kultur",
            startsOn = Day(coordination.Today),
            nextReviewOn = Day(coordination.Today.AddDays(1)),
        }).Expect(HttpStatusCode.Created);
        var measureId = measure.GetProperty("id").GetGuid();
        await Eventually.True(() => Task.FromResult(CoordinationEventProbe.Of<MeasureAgreed>(e => e.MeasureId == measureId).Count == 1), what: "MeasureAgreed");
        var due = await kultur.GetAsync("/api/coordination/my-work").Expect(HttpStatusCode.OK);
        due.GetProperty("reviewsDue").EnumerateArray().ShouldContain(m => m.GetProperty("measureId").GetGuid() == measureId);
        due.GetProperty("reviewsOverdue").EnumerateArray().ShouldNotContain(m => m.GetProperty("measureId").GetGuid() == measureId);

        await coordination.Scheduler.RunOnce(CancellationToken.None);
        (await OverdueRows(measureId)).ShouldBe(0, "the review day has not passed yet");

        coordination.Clock.Advance(TimeSpan.FromDays(2));
        await coordination.Scheduler.RunOnce(CancellationToken.None);
        (await coordination.Scheduler.RunOnce(CancellationToken.None)).ShouldBe(0, "a second pass finds nothing new");

        (await OverdueRows(measureId)).ShouldBe(1);
        var plan = await kultur.GetAsync($"/api/coordination/cases/{caseId}/plan").Expect(HttpStatusCode.OK);
        plan.GetProperty("measures").EnumerateArray().Single(m => m.GetProperty("id").GetGuid() == measureId).GetProperty("overdue").GetBoolean().ShouldBeTrue();
        var overdue = await kultur.GetAsync("/api/coordination/my-work").Expect(HttpStatusCode.OK);
        overdue.GetProperty("reviewsOverdue").EnumerateArray().ShouldContain(m => m.GetProperty("measureId").GetGuid() == measureId);
        var published = await Eventually.Get(() => Task.FromResult(CoordinationEventProbe.Of<ReviewOverdue>(e => e.MeasureId == measureId)), p => p.Count > 0, what: "ReviewOverdue");
        published.ShouldHaveSingleItem().ReviewDueOn.ShouldBe(coordination.Today.AddDays(-1));

        // An evaluation sets the next review; when that one passes too, it is a new overdue review.
        var evaluation = await kultur.Post($"/api/coordination/cases/{caseId}/measures/{measureId}/evaluations",
            new { helped = "partly", familyWords = "Sara gleder seg til trening.", nextReviewOn = Day(coordination.Today.AddDays(3)) }).Expect(HttpStatusCode.Created);
        evaluation.GetProperty("helped").GetString().ShouldBe("partly");
        plan = await kultur.GetAsync($"/api/coordination/cases/{caseId}/plan").Expect(HttpStatusCode.OK);
        var evaluated = plan.GetProperty("measures").EnumerateArray().Single(m => m.GetProperty("id").GetGuid() == measureId);
        evaluated.GetProperty("overdue").GetBoolean().ShouldBeFalse();
        evaluated.GetProperty("evaluations")[0].GetProperty("familyWords").GetString().ShouldBe("Sara gleder seg til trening.");

        coordination.Clock.Advance(TimeSpan.FromDays(4));
        await coordination.Scheduler.RunOnce(CancellationToken.None);
        (await OverdueRows(measureId)).ShouldBe(2);
        await Eventually.True(() => Task.FromResult(CoordinationEventProbe.Of<ReviewOverdue>(e => e.MeasureId == measureId).Count == 2), what: "the second ReviewOverdue");

        // A completed measure has no more reviews.
        var completed = await kultur.PostEmpty($"/api/coordination/cases/{caseId}/measures/{measureId}/complete").Expect(HttpStatusCode.OK);
        completed.GetProperty("completedBy").GetString().ShouldBe("kultur-kristian");
        await kultur.PostEmpty($"/api/coordination/cases/{caseId}/measures/{measureId}/complete").ExpectProblem(HttpStatusCode.Conflict);
        await kultur.Post($"/api/coordination/cases/{caseId}/measures/{measureId}/evaluations",
            new { helped = "yes", nextReviewOn = Day(coordination.Today.AddDays(3)) }).ExpectProblem(HttpStatusCode.Conflict);
        coordination.Clock.Advance(TimeSpan.FromDays(10));
        await coordination.Scheduler.RunOnce(CancellationToken.None);
        (await OverdueRows(measureId)).ShouldBe(2);
        var ended = await Eventually.Get(() => Task.FromResult(CoordinationEventProbe.Of<MeasureCompleted>(e => e.MeasureId == measureId)), p => p.Count > 0, what: "MeasureCompleted");
        ended.ShouldHaveSingleItem().Helped.ShouldBeNull("the last answer was 'partly'");
    }

    [Fact]
    public async Task Measures_serve_the_familys_goals_and_the_bti_level_keeps_its_history()
    {
        var caseId = await coordination.OpenCase("lead-ivar", "oppvekst");
        using var lead = coordination.Client("oppvekst", "coordinator", "lead-ivar");
        var goalId = Guid.CreateVersion7();
        await coordination.Publish(new GoalAgreed(caseId, goalId, "Sara skal spille fotball igjen.", "family", "lead-ivar", coordination.Clock.GetUtcNow()));
        await GoalShown(lead, caseId, goalId);

        var measure = await lead.Post($"/api/coordination/cases/{caseId}/measures", new
        {
            title = "Kontingent og utstyr",
            goalId,
            responsibleSector = "oppvekst",
            startsOn = Day(coordination.Today),
            endsOn = Day(coordination.Today.AddMonths(6)),
            nextReviewOn = Day(coordination.Today.AddDays(30)),
        }).Expect(HttpStatusCode.Created);
        measure.GetProperty("goalId").GetGuid().ShouldBe(goalId);
        await lead.Post($"/api/coordination/cases/{caseId}/measures", new
        {
            title = "x", goalId = Guid.NewGuid(), responsibleSector = "oppvekst", startsOn = Day(coordination.Today), nextReviewOn = Day(coordination.Today),
        }).ExpectProblem(HttpStatusCode.UnprocessableEntity, "a goal of no case");
        await lead.Post($"/api/coordination/cases/{caseId}/measures", new
        {
            title = "x", responsibleSector = "nav", startsOn = Day(coordination.Today), nextReviewOn = Day(coordination.Today),
        }).ExpectProblem(HttpStatusCode.Conflict, "nav does not take part");

        await lead.PutAsJsonAsync($"/api/coordination/cases/{caseId}/bti-level", new { level = 2, reason = "Flere tjenester trengs." }).Expect(HttpStatusCode.OK);
        await lead.PutAsJsonAsync($"/api/coordination/cases/{caseId}/bti-level", new { level = 1, reason = "Bedre nå." }).Expect(HttpStatusCode.OK);

        var readsBefore = await PlanReads(caseId, "lead-ivar");
        var plan = await lead.GetAsync($"/api/coordination/cases/{caseId}/plan").Expect(HttpStatusCode.OK);
        (await PlanReads(caseId, "lead-ivar")).ShouldBe(readsBefore + 1, "every read of the plan is access-logged");
        plan.GetProperty("btiLevel").GetProperty("level").GetInt32().ShouldBe(1);
        plan.GetProperty("btiHistory").EnumerateArray().Select(l => l.GetProperty("level").GetInt32()).ShouldBe([2, 1]);
        plan.GetProperty("measures").EnumerateArray().ShouldHaveSingleItem().GetProperty("title").GetString().ShouldBe("Kontingent og utstyr");
    }

    [Fact]
    public async Task A_reported_negative_effect_gives_the_lead_a_task_and_a_relay_log_entry()
    {
        var caseId = await coordination.OpenCase("lead-jon", "oppvekst");
        await coordination.GiveConsent(caseId, "oppvekst", "kultur");
        using var lead = coordination.Client("oppvekst", "coordinator", "lead-jon");
        using var kultur = coordination.Client("kultur", "caseworker", "kultur-jorunn");
        await lead.Post($"/api/coordination/cases/{caseId}/sectors", new { sector = "kultur" }).Expect(HttpStatusCode.Created);

        await coordination.Publish(new NegativeEffectReported(caseId, Guid.NewGuid(), "gratitude-debt", 8, coordination.Clock.GetUtcNow()));

        var work = await Eventually.Get(async () => await lead.GetAsync("/api/coordination/my-work").Expect(HttpStatusCode.OK),
            w => w.GetProperty("tasks").EnumerateArray().Any(t => t.GetProperty("caseId").GetGuid() == caseId), what: "the lead's task");
        var task = work.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("caseId").GetGuid() == caseId);
        task.GetProperty("title").GetString()!.ShouldContain("gratitude-debt");
        var kulturWork = await kultur.GetAsync("/api/coordination/my-work").Expect(HttpStatusCode.OK);
        kulturWork.GetProperty("tasks").EnumerateArray().ShouldNotContain(t => t.GetProperty("caseId").GetGuid() == caseId);
        var log = await kultur.GetAsync($"/api/coordination/cases/{caseId}/relay-log").Expect(HttpStatusCode.OK);
        log.EnumerateArray().ShouldContain(e => e.GetProperty("author").GetString() == "system" && e.GetProperty("text").GetString()!.Contains("gratitude-debt"));

        var path = $"/api/coordination/cases/{caseId}/tasks/{task.GetProperty("id").GetGuid()}/done";
        await kultur.PostEmpty(path).ExpectProblem(HttpStatusCode.Forbidden);
        var done = await lead.PostEmpty(path).Expect(HttpStatusCode.OK);
        done.GetProperty("doneBy").GetString().ShouldBe("lead-jon");
        await lead.PostEmpty(path).ExpectProblem(HttpStatusCode.Conflict);
        await lead.PostEmpty($"/api/coordination/cases/{caseId}/tasks/{Guid.NewGuid()}/done").ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_closed_case_takes_no_more_changes_and_cancels_a_waiting_handover()
    {
        var caseId = await coordination.OpenCase("lead-kai", "oppvekst");
        await coordination.GiveConsent(caseId, "oppvekst", "kultur");
        using var lead = coordination.Client("oppvekst", "coordinator", "lead-kai");
        await lead.Post($"/api/coordination/cases/{caseId}/sectors", new { sector = "kultur" }).Expect(HttpStatusCode.Created);
        await lead.Post($"/api/coordination/cases/{caseId}/handovers", new { to = "kultur-kai", toSector = "kultur" }).Expect(HttpStatusCode.Created);

        await coordination.Publish(new CaseClosed(caseId, "goals reached", "lead-kai", coordination.Clock.GetUtcNow()));

        await Eventually.True(async () => await coordination.Database.Scalar<long>(
            "SELECT count(*) FROM coordination.groups WHERE case_id = @c AND closed_at IS NOT NULL", ("c", caseId)) == 1, what: "the group to close");
        await lead.Post($"/api/coordination/cases/{caseId}/relay-log", new { type = "note", text = "x" }).ExpectProblem(HttpStatusCode.Conflict);
        var handovers = await lead.GetAsync($"/api/coordination/cases/{caseId}/handovers").Expect(HttpStatusCode.OK);
        handovers.Strings("status").ShouldBe(["cancelled"]);
    }

    private static Task<System.Text.Json.JsonElement> GoalShown(HttpClient client, Guid caseId, Guid goalId) =>
        Eventually.Get(async () => await client.GetAsync($"/api/coordination/cases/{caseId}/plan").Expect(HttpStatusCode.OK),
            p => p.GetProperty("goals").EnumerateArray().Any(g => g.GetProperty("id").GetGuid() == goalId), what: "the goal");

    private Task<long> PlanReads(Guid caseId, string subject) =>
        coordination.Database.Scalar<long>(
            "SELECT count(*) FROM access.access_log WHERE case_id = @c AND subject = @s AND purpose = 'read action plan'", ("c", caseId), ("s", subject));

    private Task<long> OverdueRows(Guid measureId) =>
        coordination.Database.Scalar<long>("SELECT count(*) FROM coordination.overdue_reviews WHERE measure_id = @m", ("m", measureId));
}
