using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Samskaping.IntegrationTests.Cases;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Citizens;

/// <summary>
/// Answering for themselves, through the gateway: the family answers the scheduled questionnaires for itself, as whom the
/// relation rule says; staff reading the responses do not see the sensitive-domain answers the family sent, and the
/// lead gets the negative-effect signal only when the person chose to share it.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class CitizenAnswersTests(SystemFixture system)
{
    private static object Value(string itemId, int value) => new { itemId, value };

    [Fact]
    public async Task A_parent_answers_for_themselves_and_the_child_of_14_and_the_youth_of_16_answers_their_own()
    {
        var (f, baseline, people) = await Active();
        using var parent = Citizen(f.ParentNumber);
        using var youth = Citizen(f.YouthNumber);
        var path = $"/api/cases/citizen/cases/{f.Home}/measurements/{baseline}";

        var questionnaire = await Json(parent, path);
        questionnaire.GetProperty("open").GetBoolean().ShouldBeTrue();
        var items = questionnaire.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("itemId").GetString()!);
        items["life-satisfaction"].GetProperty("text").GetString()!.ShouldStartWith("Alt i alt");
        items["life-satisfaction"].GetProperty("sensitive").GetBoolean().ShouldBeFalse();
        items["neg-shame"].GetProperty("sensitive").GetBoolean().ShouldBeTrue();
        items["neg-shame-comment"].GetProperty("sensitive").GetBoolean().ShouldBeTrue();

        // Two people to answer for: the body must say whom; it can never say as whom.
        var whom = await parent.PostAsJsonAsync($"{path}/responses", new { shareWithLead = false, answers = new[] { Value("life-satisfaction", 5) } });
        (await Errors(whom, HttpStatusCode.UnprocessableEntity)).Keys.ShouldBe(["personId"]);
        var tooHigh = await parent.PostAsJsonAsync($"{path}/responses",
            new { personId = people["Per"], shareWithLead = false, answers = new[] { Value("life-satisfaction", 11) } });
        (await Errors(tooHigh, HttpStatusCode.UnprocessableEntity))["answers.life-satisfaction"][0].ShouldContain("11 is out of range");
        var notTheirs = await parent.PostAsJsonAsync($"{path}/responses",
            new { personId = people["Ylva"], shareWithLead = false, answers = new[] { Value("life-satisfaction", 5) } });
        (await Errors(notTheirs, HttpStatusCode.UnprocessableEntity)).Keys.ShouldBe(["personId"]);

        var self = await Created(parent, $"{path}/responses",
            new { personId = people["Per"], respondent = "worker-with-person", shareWithLead = false, answers = new[] { Value("life-satisfaction", 5) } });
        var guardian = await Created(parent, $"{path}/responses",
            new { personId = people["Cecilie"], shareWithLead = true, answers = new[] { Value("life-satisfaction", 7) } });
        var own = await Created(youth, $"{path}/responses", new { shareWithLead = false, answers = new[] { Value("life-satisfaction", 8) } });

        (self.GetProperty("personId").GetGuid(), self.GetProperty("respondent").GetString()).ShouldBe((people["Per"], "self"));
        (guardian.GetProperty("personId").GetGuid(), guardian.GetProperty("respondent").GetString()).ShouldBe((people["Cecilie"], "guardian"));
        (own.GetProperty("personId").GetGuid(), own.GetProperty("respondent").GetString()).ShouldBe((people["Ylva"], "self"));
        var again = await parent.PostAsJsonAsync($"{path}/responses",
            new { personId = people["Per"], shareWithLead = false, answers = new[] { Value("life-satisfaction", 6) } });
        (await Problem(again, HttpStatusCode.Conflict)).GetProperty("title").GetString().ShouldBe("Already answered.");

        var list = (await Json(parent, $"/api/cases/citizen/cases/{f.Home}/measurements")).GetProperty("measurements").EnumerateArray()
            .Single(m => m.GetProperty("id").GetGuid() == baseline);
        list.GetProperty("people").EnumerateArray().Select(p => (p.GetProperty("firstName").GetString(), p.GetProperty("respondent").GetString(),
            p.GetProperty("answeredAt").ValueKind != JsonValueKind.Null)).ShouldBe([("Per", "self", true), ("Cecilie", "guardian", true)], ignoreOrder: true);
        using var kari = system.Client("oppvekst", "caseworker", f.Kari);
        var responses = await Json(kari, $"/api/outcomes/cases/{f.Home}/responses");
        responses.EnumerateArray().Select(r => (r.GetProperty("personId").GetGuid(), r.GetProperty("respondentKind").GetString()))
            .ShouldBe([(people["Per"], "self"), (people["Cecilie"], "guardian"), (people["Ylva"], "self")], ignoreOrder: true);
    }

    [Fact]
    public async Task A_measurement_of_another_household_or_a_case_outside_the_rule_is_404()
    {
        var (f, baseline, people) = await Active();
        using var parent = Citizen(f.ParentNumber);
        using var youth = Citizen(f.YouthNumber);
        using var stranger = Citizen(f.UnrelatedNumber);
        var body = new { personId = people["Per"], shareWithLead = false, answers = new[] { Value("life-satisfaction", 5) } };

        // The parent reaches the other household through the child (there the child's own record, the only one the parent
        // answers for), but the home case's measurement is not that case's.
        (await parent.GetAsync($"/api/cases/citizen/cases/{f.Other}/measurements/{baseline}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await parent.PostAsJsonAsync($"/api/cases/citizen/cases/{f.Other}/measurements/{baseline}/responses",
            new { shareWithLead = false, answers = new[] { Value("life-satisfaction", 5) } })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        foreach (var (citizen, caseId) in new[] { (stranger, f.Home), (youth, f.Other), (parent, f.Unrelated) })
        {
            (await citizen.GetAsync($"/api/cases/citizen/cases/{caseId}/measurements")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await citizen.GetAsync($"/api/cases/citizen/cases/{caseId}/measurements/{baseline}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await citizen.PostAsJsonAsync($"/api/cases/citizen/cases/{caseId}/measurements/{baseline}/responses", body)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }
        using var kari = system.Client("oppvekst", "caseworker", f.Kari);
        (await Json(kari, $"/api/outcomes/cases/{f.Home}/responses")).GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task A_grant_approver_sees_that_the_sensitive_answers_the_family_sent_are_withheld_and_the_lead_gets_only_the_shared_signal()
    {
        var (f, baseline, people) = await Active();
        using var parent = Citizen(f.ParentNumber);
        using var youth = Citizen(f.YouthNumber);
        using var kari = system.Client("oppvekst", "caseworker", f.Kari);
        var path = $"/api/cases/citizen/cases/{f.Home}/measurements/{baseline}/responses";

        await Created(parent, path, new
        {
            personId = people["Per"],
            shareWithLead = false,
            answers = new object[] { Value("life-satisfaction", 4), Value("neg-shame", 9), new { itemId = "neg-shame-comment", text = "Vi skammer oss foran naboen." } },
        });
        await Created(youth, path, new { shareWithLead = true, answers = new[] { Value("life-satisfaction", 6), Value("neg-gratitude-debt", 9) } });
        var worker = await kari.PostAsJsonAsync($"/api/outcomes/cases/{f.Home}/measurements/{baseline}/responses",
            new { personId = people["Cecilie"], respondent = "worker-with-person", answers = new[] { Value("life-satisfaction", 7), Value("neg-shame", 3) } });
        worker.StatusCode.ShouldBe(HttpStatusCode.Created, await worker.Content.ReadAsStringAsync());

        using var approver = system.Client("oppvekst", "grant-approver");
        var raw = await (await approver.GetAsync($"/api/outcomes/cases/{f.Home}/responses")).Content.ReadAsStringAsync();
        var responses = JsonDocument.Parse(raw).RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("personId").GetGuid());
        raw.ShouldNotContain("naboen");
        var per = responses[people["Per"]];
        per.GetProperty("answers").EnumerateArray().Select(a => a.GetProperty("itemId").GetString()).ShouldBe(["life-satisfaction"]);
        per.GetProperty("domainScores").EnumerateObject().Select(d => d.Name).ShouldBe(["life-satisfaction"]);
        per.GetProperty("withheld").GetProperty("domains").EnumerateArray().Select(d => d.GetString())
            .ShouldBe(["gratitude-debt", "insecurity", "shame", "unfair-distribution", "unintended-use"], ignoreOrder: true);
        per.GetProperty("withheld").GetProperty("reason").GetString()!.ShouldContain("aggregate");
        responses[people["Ylva"]].GetProperty("withheld").ValueKind.ShouldBe(JsonValueKind.Object);
        var cecilie = responses[people["Cecilie"]];
        cecilie.GetProperty("withheld").ValueKind.ShouldBe(JsonValueKind.Null, "a worker recorded it with the person");
        cecilie.GetProperty("answers").EnumerateArray().Select(a => a.GetProperty("itemId").GetString()).ShouldContain("neg-shame");

        // The youth shared gratitude debt (9): the lead's task. The parent's shame (9) was not shared: no task, no signal.
        var work = await Eventually.Get(async () => await Json(kari, "/api/coordination/my-work"),
            w => w.GetProperty("tasks").EnumerateArray().Any(t => t.GetProperty("caseId").GetGuid() == f.Home),
            TimeSpan.FromSeconds(60), "the lead's task for the shared negative effect");
        var titles = work.GetProperty("tasks").EnumerateArray().Where(t => t.GetProperty("caseId").GetGuid() == f.Home)
            .Select(t => t.GetProperty("title").GetString()!).ToList();
        titles.ShouldHaveSingleItem().ShouldContain("gratitude-debt");
        // Everyone else on the case, the grant approver among them, reads on the timeline only that something was shared.
        var timeline = await Eventually.Get(async () => await Json(approver, $"/api/cases/{f.Home}/timeline"),
            t => t.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("kind").GetString() == "negative-effect-reported"),
            TimeSpan.FromSeconds(60), "the timeline's entry for the shared negative effect");
        var shared = timeline.GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("kind").GetString() == "negative-effect-reported").ShouldHaveSingleItem();
        shared.GetProperty("summary").GetString().ShouldBe(
            "The family shared a negative effect with the lead coordinator; what it is about is in the lead's tasks.");
        timeline.ToString().ShouldNotContain("gratitude-debt");
        (await Json(approver, $"/api/coordination/cases/{f.Home}/relay-log")).ToString().ShouldNotContain("gratitude-debt");
        // After the shared one arrived, a moment more for anything else the outbox might still have held.
        await Task.Delay(TimeSpan.FromSeconds(3));
        (await Json(kari, "/api/coordination/my-work")).GetProperty("tasks").EnumerateArray()
            .Where(t => t.GetProperty("caseId").GetGuid() == f.Home).Select(t => t.GetProperty("title").GetString()!)
            .ShouldNotContain(t => t.Contains("shame"));
    }

    [Fact]
    public async Task The_persons_own_answers_recorded_by_a_worker_are_withheld_from_a_grant_approver_and_not_from_the_caseworker()
    {
        var (f, baseline, people) = await Active();
        using var kari = system.Client("oppvekst", "caseworker", f.Kari);
        var recorded = await kari.PostAsJsonAsync($"/api/outcomes/cases/{f.Home}/measurements/{baseline}/responses",
            new { personId = people["Per"], respondent = "self", answers = new[] { Value("life-satisfaction", 5), Value("neg-shame", 2) } });
        recorded.StatusCode.ShouldBe(HttpStatusCode.Created, await recorded.Content.ReadAsStringAsync());

        using var approver = system.Client("oppvekst", "grant-approver");
        var asApprover = (await Json(approver, $"/api/outcomes/cases/{f.Home}/responses")).EnumerateArray()
            .Single(r => r.GetProperty("personId").GetGuid() == people["Per"]);
        asApprover.GetProperty("withheld").GetProperty("kind").GetString().ShouldBe("grant-decider");
        asApprover.GetProperty("answers").EnumerateArray().Select(a => a.GetProperty("itemId").GetString()).ShouldBe(["life-satisfaction"]);
        asApprover.GetProperty("domainScores").EnumerateObject().Select(d => d.Name).ShouldBe(["life-satisfaction"]);

        var asCaseworker = (await Json(kari, $"/api/outcomes/cases/{f.Home}/responses")).EnumerateArray()
            .Single(r => r.GetProperty("personId").GetGuid() == people["Per"]);
        asCaseworker.GetProperty("withheld").ValueKind.ShouldBe(JsonValueKind.Null, "the worker who does not decide grants reads it whole");
        asCaseworker.GetProperty("answers").EnumerateArray().Select(a => a.GetProperty("itemId").GetString()).ShouldContain("neg-shame");
    }

    /// <summary>The families of <see cref="Families"/>, the home case active with consent, and its baseline as the citizen sees it.</summary>
    private async Task<(Families F, Guid Baseline, Dictionary<string, Guid> People)> Active()
    {
        var f = await Families.Create(system);
        using var kari = system.Client("oppvekst", "caseworker", f.Kari);
        var members = (await CaseClient.Read(kari, $"/api/cases/{f.Home}")).GetProperty("members").EnumerateArray()
            .ToDictionary(m => m.GetProperty("name").GetString()!.Split(' ')[0], m => m.GetProperty("personId").GetGuid());
        await CaseClient.Consent(kari, f.Home, members["Per"]);
        await CaseClient.Consent(kari, f.Home, members["Cecilie"], members["Per"]);
        await CaseClient.Consent(kari, f.Home, members["Ylva"]);
        (await CaseClient.Move(kari, f.Home, "intake")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await CaseClient.Move(kari, f.Home, "active", "Samtykke er gitt.")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Outcomes schedules the baseline from the activation and learns the members from cases' events.
        using var parent = Citizen(f.ParentNumber);
        var list = await Eventually.Get(async () => await Json(parent, $"/api/cases/citizen/cases/{f.Home}/measurements"),
            l => l.GetProperty("measurements").GetArrayLength() > 0, TimeSpan.FromSeconds(60), "the baseline");
        var baseline = list.GetProperty("measurements")[0];
        baseline.GetProperty("kind").GetString().ShouldBe("baseline");
        await Eventually.True(async () => await system.Database("outcomes").Scalar<long>(
            "SELECT count(*) FROM outcomes.household_members WHERE case_id = @c", ("c", f.Home)) == 3, what: "outcomes to know the members");
        return (f, baseline.GetProperty("id").GetGuid(), members);
    }

    private HttpClient Citizen(string number)
    {
        var client = system.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Citizen(number));
        return client;
    }

    private static async Task<JsonElement> Json(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"GET {path}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<JsonElement> Created(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, $"POST {path}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<Dictionary<string, string[]>> Errors(HttpResponseMessage response, HttpStatusCode expected) =>
        (await Problem(response, expected)).GetProperty("errors").EnumerateObject()
            .ToDictionary(e => e.Name, e => e.Value.EnumerateArray().Select(v => v.GetString()!).ToArray());
}
