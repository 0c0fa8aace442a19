using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Outcomes;

/// <summary>Responses over the real database and bus: recorded as given, validated per item, negative effects alerted once.</summary>
[Collection(OutcomesCollection.Name)]
public sealed class ResponseTests(OutcomesSystem system)
{
    private static object Answer(string itemId, int value) => new { itemId, value };

    [Fact]
    public async Task A_guardian_answering_for_a_child_is_recorded_as_such_partial_and_scored()
    {
        using var kari = system.Client("oppvekst", "caseworker", "kari");
        var (caseId, _, child) = await system.OpenCase();
        await system.Activate(caseId);
        var baseline = await system.MeasurementId(caseId, "baseline");

        var response = await kari.PostAsJsonAsync($"/api/outcomes/cases/{caseId}/measurements/{baseline}/responses", new
        {
            personId = child,
            respondent = "guardian",
            answers = new[] { Answer("life-satisfaction", 6), Answer("mastery", 7), Answer("mastery-little-control", 8) },
        });

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("respondentKind").GetString().ShouldBe("guardian");
        body.GetProperty("partial").GetBoolean().ShouldBeTrue();
        body.GetProperty("instrumentId").GetString().ShouldBe("samskaping-core");
        body.GetProperty("instrumentVersion").GetInt32().ShouldBe(1);
        // mastery = mean(7, 10 − 8) = 4.5: the reverse-coded item is flipped.
        body.GetProperty("domainScores").GetProperty("mastery").GetDouble().ShouldBe(4.5);

        await Eventually.True(() => Task.FromResult(Received.Completed.Any(c => c.Message.MeasurementId == baseline)), what: "MeasurementCompleted");
        var completed = Received.Completed.Single(c => c.Message.MeasurementId == baseline).Message;
        (completed.PersonId, completed.RespondentKind, completed.Partial, completed.Kind).ShouldBe((child, "guardian", true, "baseline"));

        var schedule = await kari.GetFromJsonAsync<JsonElement>($"/api/outcomes/cases/{caseId}/schedule");
        schedule.GetProperty("measurements")[0].GetProperty("status").GetString().ShouldBe("due", "the mother has not answered yet");
        var list = await kari.GetFromJsonAsync<JsonElement>($"/api/outcomes/cases/{caseId}/responses");
        list.GetArrayLength().ShouldBe(1);
        (await system.Database.Scalar<long>(
            "SELECT count(*) FROM access.access_log WHERE case_id = @c AND person_id = @p AND action = 'create' AND subject = 'kari'", ("c", caseId), ("p", child))).ShouldBe(1);
    }

    [Fact]
    public async Task A_negative_effect_above_the_alert_level_reaches_the_bus_once_without_the_free_text()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var (caseId, mother, _) = await system.OpenCase();
        await system.Activate(caseId);
        var baseline = await system.MeasurementId(caseId, "baseline");

        var response = await kari.PostAsJsonAsync($"/api/outcomes/cases/{caseId}/measurements/{baseline}/responses", new
        {
            personId = mother,
            respondent = "self",
            answers = new object[]
            {
                Answer("neg-gratitude-debt", 9),
                new { itemId = "neg-gratitude-debt-comment", text = "Vi må takke naboen for alt, hele tiden." },
                Answer("neg-shame", 6), // at the level, not above it: no alert
                Answer("neg-insecurity", 0),
            },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);

        await Eventually.True(() => Task.FromResult(Received.NegativeEffects.Any(n => n.Message.CaseId == caseId)), what: "NegativeEffectReported");
        await Eventually.True(async () => await system.Database.Scalar<long>("SELECT count(*) FROM messaging.outbox WHERE published_at IS NULL") == 0,
            what: "the outbox to drain");
        var reported = Received.NegativeEffects.Where(n => n.Message.CaseId == caseId).ToList();
        reported.ShouldHaveSingleItem();
        (reported[0].Message.Domain, reported[0].Message.Level, reported[0].Message.MeasurementId).ShouldBe(("gratitude-debt", 9, baseline));
        var bodies = await system.Database.Scalar<string>(
            "SELECT string_agg(body::text, '') FROM messaging.outbox WHERE body->>'caseId' = @c", ("c", caseId.ToString()));
        bodies!.ShouldNotContain("naboen");
    }

    [Fact]
    public async Task Bad_answers_are_422_naming_the_item_and_nothing_is_written()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var (caseId, mother, _) = await system.OpenCase();
        await system.Activate(caseId);
        var baseline = await system.MeasurementId(caseId, "baseline");
        var path = $"/api/outcomes/cases/{caseId}/measurements/{baseline}/responses";

        var outOfRange = await kari.PostAsJsonAsync(path, new { personId = mother, respondent = "self", answers = new[] { Answer("life-satisfaction", 11), Answer("mastery", 5) } });
        var unknownPerson = await kari.PostAsJsonAsync(path, new { personId = Guid.CreateVersion7(), respondent = "self", answers = new[] { Answer("mastery", 5) } });
        var adultByGuardian = await kari.PostAsJsonAsync(path, new { personId = mother, respondent = "guardian", answers = new[] { Answer("mastery", 5) } });
        var unknownKind = await kari.PostAsJsonAsync(path, new { personId = mother, respondent = "neighbour", answers = new[] { Answer("mastery", 5) } });
        var unknownItem = await kari.PostAsJsonAsync(path, new { personId = mother, respondent = "self", answers = new[] { Answer("happiness", 5) } });
        var unknownVersion = await kari.PostAsJsonAsync(path, new { personId = mother, respondent = "self", instrumentVersion = 99, answers = new[] { Answer("mastery", 5) } });

        (await Errors(outOfRange, HttpStatusCode.UnprocessableEntity))["answers.life-satisfaction"][0].ShouldContain("11 is out of range");
        (await Errors(unknownPerson, HttpStatusCode.UnprocessableEntity)).Keys.ShouldBe(["personId"]);
        (await Errors(adultByGuardian, HttpStatusCode.UnprocessableEntity))["respondent"][0].ShouldContain("child under 18");
        (await Errors(unknownKind, HttpStatusCode.UnprocessableEntity)).Keys.ShouldBe(["respondent"]);
        (await Errors(unknownItem, HttpStatusCode.UnprocessableEntity))["answers[0].itemId"][0].ShouldContain("happiness");
        (await Errors(unknownVersion, HttpStatusCode.UnprocessableEntity)).Keys.ShouldBe(["instrumentId"]);
        (await system.Database.Scalar<long>("SELECT count(*) FROM outcomes.responses WHERE case_id = @c", ("c", caseId))).ShouldBe(0);
    }

    [Fact]
    public async Task Malformed_bodies_are_400_incomplete_ones_422_and_a_second_answer_is_409()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var (caseId, mother, _) = await system.OpenCase();
        await system.Activate(caseId);
        var baseline = await system.MeasurementId(caseId, "baseline");
        var path = $"/api/outcomes/cases/{caseId}/measurements/{baseline}/responses";

        var wrongType = await kari.PostAsync(path, new StringContent("""{"personId": "x", "respondent": "self", "answers": []}""", Encoding.UTF8, "application/json"));
        var fraction = await kari.PostAsync(path, new StringContent($$"""{"personId": "{{mother}}", "respondent": "self", "answers": [{"itemId": "mastery", "value": 5.5}]}""", Encoding.UTF8, "application/json"));
        var numberAsText = await kari.PostAsync(path, new StringContent($$"""{"personId": "{{mother}}", "respondent": "self", "answers": [{"itemId": "mastery", "value": "5"}]}""", Encoding.UTF8, "application/json"));
        var broken = await kari.PostAsync(path, new StringContent("{\"personId\": ", Encoding.UTF8, "application/json"));
        var missing = await kari.PostAsJsonAsync(path, new { answers = new[] { Answer("mastery", 5) } });
        (await Errors(wrongType, HttpStatusCode.BadRequest)).Keys.ShouldBe(["personId"]);
        (await Errors(fraction, HttpStatusCode.BadRequest)).Keys.ShouldBe(["answers[0].value"]);
        // An answer is a JSON number: "5" is text, however much it looks like one.
        (await Errors(numberAsText, HttpStatusCode.BadRequest)).Keys.ShouldBe(["answers[0].value"]);
        (await Errors(broken, HttpStatusCode.BadRequest)).Keys.ShouldBe(["body"]);
        (await Errors(missing, HttpStatusCode.UnprocessableEntity)).Keys.ShouldBe(["personId", "respondent"], ignoreOrder: true);

        var first = await kari.PostAsJsonAsync(path, new { personId = mother, respondent = "worker-with-person", answers = new[] { Answer("mastery", 5) } });
        var second = await kari.PostAsJsonAsync(path, new { personId = mother, respondent = "self", answers = new[] { Answer("mastery", 6) } });
        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString().ShouldBe("Already answered.");
        var unknownMeasurement = await kari.PostAsJsonAsync($"/api/outcomes/cases/{caseId}/measurements/{Guid.CreateVersion7()}/responses",
            new { personId = mother, respondent = "self", answers = new[] { Answer("mastery", 5) } });
        unknownMeasurement.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Outside_the_case_it_is_404_and_analysts_never_see_a_case()
    {
        using var outsider = system.Client("helse-velferd", "caseworker");
        using var analyst = system.Client("oppvekst", "analyst");
        var (caseId, mother, _) = await system.OpenCase();
        await system.Activate(caseId);
        var baseline = await system.MeasurementId(caseId, "baseline");

        foreach (var path in new[] { $"/api/outcomes/cases/{caseId}/schedule", $"/api/outcomes/cases/{caseId}/responses", $"/api/outcomes/cases/{caseId}/change" })
        {
            var response = await outsider.GetAsync(path);
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            (await analyst.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, path);
        }
        var post = await outsider.PostAsJsonAsync($"/api/outcomes/cases/{caseId}/measurements/{baseline}/responses",
            new { personId = mother, respondent = "self", answers = new[] { Answer("mastery", 5) } });
        post.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_instrument_version_with_responses_can_not_be_changed_but_a_new_version_can_be_added()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var (caseId, mother, _) = await system.OpenCase();
        await system.Activate(caseId);
        var baseline = await system.MeasurementId(caseId, "baseline");
        (await kari.PostAsJsonAsync($"/api/outcomes/cases/{caseId}/measurements/{baseline}/responses",
            new { personId = mother, respondent = "self", answers = new[] { Answer("mastery", 5) } })).StatusCode.ShouldBe(HttpStatusCode.Created);

        var change = await Should.ThrowAsync<PostgresException>(() => system.Database.Scalar<long>(
            "UPDATE outcomes.instrument_items SET text_en = 'changed' WHERE instrument_id = 'samskaping-core' AND version = 1 AND item_id = 'mastery'"));
        change.MessageText.ShouldContain("immutable");
        await Should.ThrowAsync<PostgresException>(() => system.Database.Scalar<long>(
            "DELETE FROM outcomes.instrument_items WHERE instrument_id = 'samskaping-core' AND version = 1 AND item_id = 'meaning'"));

        await system.Database.Scalar<long>(
            """
            INSERT INTO outcomes.instruments (instrument_id, version, name, published_at) VALUES ('samskaping-core', 2, 'Samskaping core v2', now());
            INSERT INTO outcomes.instrument_items (instrument_id, version, item_id, position, text_nb, text_en, scale, min_value, max_value, domain, licence)
            SELECT instrument_id, 2, item_id, position, text_nb, 'changed', scale, min_value, max_value, domain, licence
            FROM outcomes.instrument_items WHERE instrument_id = 'samskaping-core' AND version = 1 AND item_id = 'mastery';
            """);
        var v2 = await kari.GetFromJsonAsync<JsonElement>("/api/outcomes/instruments/samskaping-core/versions/2");
        v2.GetProperty("items")[0].GetProperty("textEn").GetString().ShouldBe("changed");
        await system.Database.Scalar<long>(
            "DELETE FROM outcomes.instrument_items WHERE version = 2; DELETE FROM outcomes.instruments WHERE version = 2;");
    }

    [Fact]
    public async Task The_seeded_instrument_has_every_domain_the_issue_names_and_a_follow_up_for_each_negative_effect()
    {
        using var kari = system.Client("oppvekst", "caseworker");

        var core = await kari.GetFromJsonAsync<JsonElement>("/api/outcomes/instruments/samskaping-core/versions/1");

        var items = core.GetProperty("items").EnumerateArray().ToList();
        items.Select(i => i.GetProperty("domain").GetString()).Distinct().ShouldBe(
        [
            "life-satisfaction", "economy", "free-time", "relations", "meaning", "mastery", "belonging", "participation-activities", "participation",
            "citizenship", "self-reliance", "trust", "helpful-help", "clear-responsibility",
            "unintended-use", "gratitude-debt", "insecurity", "unfair-distribution", "shame",
        ], ignoreOrder: true);
        var negative = items.Where(i => i.GetProperty("negativeEffect").GetBoolean()).Select(i => i.GetProperty("itemId").GetString()).ToList();
        negative.Count.ShouldBe(5);
        items.Where(i => i.GetProperty("scale").GetString() == "text").Select(i => i.GetProperty("followUpOf").GetString()).ShouldBe(negative, ignoreOrder: true);
        items.ShouldAllBe(i => i.GetProperty("licence").GetString()!.Length > 0 && i.GetProperty("textNb").GetString()!.Length > 0);
        items.Count(i => i.GetProperty("reverseCoded").GetBoolean()).ShouldBe(2);
        (await kari.GetAsync("/api/outcomes/instruments/samskaping-core/versions/7")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private static async Task<Dictionary<string, string[]>> Errors(HttpResponseMessage response, HttpStatusCode expected)
    {
        response.StatusCode.ShouldBe(expected, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.GetProperty("errors").EnumerateObject().ToDictionary(e => e.Name, e => e.Value.EnumerateArray().Select(v => v.GetString()!).ToArray());
    }
}
