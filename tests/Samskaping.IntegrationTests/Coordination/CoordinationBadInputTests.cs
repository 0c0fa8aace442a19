using System.Net;
using System.Text;
using System.Text.Json;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Coordination;

/// <summary>Bad input on every coordination endpoint: problem details naming what was wrong, never a 500, nothing written.</summary>
[Collection(CoordinationCollection.Name)]
public sealed class CoordinationBadInputTests(CoordinationFixture coordination)
{
    private const string Lead = "lead-bad-input";
    private static Guid? _caseId;

    private static readonly string[] Tables = ["group_sectors", "handovers", "relay_log", "measures", "evaluations", "bti_levels", "sectors"];

    // {case}, {measure} and {handover} are filled in; the method, the path, the body, and the field the answer must name.
    public static TheoryData<string, string, string, string> UnacceptableBodies => new()
    {
        { "POST", "/api/coordination/sectors", """{"code": "Not Kebab", "name": "x"}""", "code" },
        { "POST", "/api/coordination/sectors", """{"code": "ok-code"}""", "name" },
        { "POST", "/api/coordination/cases/{case}/sectors", """{}""", "sector" },
        { "POST", "/api/coordination/cases/{case}/sectors", """{"sector": "kultur", "role": "lead"}""", "role" },
        { "POST", "/api/coordination/cases/{case}/handovers", """{"toSector": "kultur"}""", "to" },
        { "POST", "/api/coordination/cases/{case}/handovers", """{"to": "x", "toSector": "Kultur!"}""", "toSector" },
        { "POST", "/api/coordination/cases/{case}/handovers/{handover}/decline", """{}""", "reason" },
        { "POST", "/api/coordination/cases/{case}/relay-log", """{"type": "gossip", "text": "x"}""", "type" },
        { "POST", "/api/coordination/cases/{case}/relay-log", """{"type": "note", "confidentiality": "secret", "text": "x"}""", "confidentiality" },
        { "POST", "/api/coordination/cases/{case}/relay-log", """{"type": "note", "text": ""}""", "text" },
        { "POST", "/api/coordination/cases/{case}/relay-log", """{"type": "note", "text": "x", "category": "gossip"}""", "category" },
        { "POST", "/api/coordination/cases/{case}/relay-log", $$"""{"type": "note", "text": "{{new string('x', 4001)}}"}""", "text" },
        { "POST", "/api/coordination/cases/{case}/measures", """{"responsibleSector": "kultur", "startsOn": "2030-01-01", "nextReviewOn": "2030-02-01"}""", "title" },
        { "POST", "/api/coordination/cases/{case}/measures", """{"title": "x", "responsibleSector": "kultur", "nextReviewOn": "2030-02-01"}""", "startsOn" },
        { "POST", "/api/coordination/cases/{case}/measures", """{"title": "x", "responsibleSector": "kultur", "startsOn": "2030-01-01"}""", "nextReviewOn" },
        { "POST", "/api/coordination/cases/{case}/measures", """{"title": "x", "responsibleSector": "kultur", "startsOn": "2030-02-01", "endsOn": "2030-01-01", "nextReviewOn": "2030-02-01"}""", "endsOn" },
        { "POST", "/api/coordination/cases/{case}/measures", """{"title": "x", "responsibleSector": "kultur", "startsOn": "2020-01-01", "nextReviewOn": "2020-02-01"}""", "nextReviewOn" },
        { "POST", "/api/coordination/cases/{case}/measures/{measure}/evaluations", """{"helped": "maybe", "nextReviewOn": "2030-02-01"}""", "helped" },
        { "POST", "/api/coordination/cases/{case}/measures/{measure}/evaluations", """{"helped": "yes"}""", "nextReviewOn" },
        { "PUT", "/api/coordination/cases/{case}/bti-level", """{"level": 4, "reason": "x"}""", "level" },
        { "PUT", "/api/coordination/cases/{case}/bti-level", """{"level": 1}""", "reason" },
    };

    // Bodies that cannot be read as the operation's types: not JSON, not an object, a value of the wrong JSON type or format.
    public static TheoryData<string, string, string, string> UnreadableBodies => new()
    {
        { "POST", "/api/coordination/sectors", """{"code": 5, "name": "x"}""", "code" },
        { "POST", "/api/coordination/cases/{case}/sectors", """{"sector": ["kultur"]}""", "sector" },
        { "POST", "/api/coordination/cases/{case}/relay-log", """{"type": "note", "text": "x", "corrects": "not-a-guid"}""", "corrects" },
        { "POST", "/api/coordination/cases/{case}/measures", """{"title": "x", "responsibleSector": "kultur", "startsOn": "1. januar", "nextReviewOn": "2030-02-01"}""", "startsOn" },
        { "PUT", "/api/coordination/cases/{case}/bti-level", """{"level": "high", "reason": "x"}""", "level" },
        { "POST", "/api/coordination/cases/{case}/relay-log", """{"type": "note", "text": "x" """, "body" },
        { "POST", "/api/coordination/cases/{case}/measures", "null", "body" },
    };

    [Theory]
    [MemberData(nameof(UnacceptableBodies))]
    public async Task A_body_with_an_unacceptable_value_is_422_naming_the_field_and_changes_nothing(string method, string path, string json, string field) =>
        await RefusedNamingTheField(HttpStatusCode.UnprocessableEntity, method, path, json, field);

    [Theory]
    [MemberData(nameof(UnreadableBodies))]
    public async Task A_body_that_cannot_be_read_is_400_naming_the_field_and_changes_nothing(string method, string path, string json, string field) =>
        await RefusedNamingTheField(HttpStatusCode.BadRequest, method, path, json, field);

    private async Task RefusedNamingTheField(HttpStatusCode status, string method, string path, string json, string field)
    {
        var (caseId, measureId, handoverId) = await Case();
        var admin = path == "/api/coordination/sectors";
        using var client = admin ? coordination.Client("oppvekst", "admin", "admin-bad") : coordination.Client("oppvekst", "coordinator", Lead);
        var before = await Counts();
        using var request = new HttpRequestMessage(new HttpMethod(method),
            path.Replace("{case}", caseId.ToString()).Replace("{measure}", measureId.ToString()).Replace("{handover}", handoverId.ToString()))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };

        var problem = await client.SendAsync(request).ExpectProblem(status, $"{method} {path} {json}");

        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue($"{path}: {problem}");
        (await Counts()).ShouldBe(before);
    }

    public static TheoryData<string, string> CaseEndpoints => new()
    {
        { "GET", "" }, { "GET", "/leads" }, { "GET", "/handovers" }, { "GET", "/relay-log" }, { "GET", "/plan" },
        { "POST", "/sectors" }, { "DELETE", "/sectors/kultur" }, { "POST", "/handovers" }, { "POST", "/handovers/{id}/accept" },
        { "POST", "/handovers/{id}/decline" }, { "POST", "/handovers/{id}/cancel" }, { "POST", "/relay-log" }, { "POST", "/measures" },
        { "POST", "/measures/{id}/evaluations" }, { "POST", "/measures/{id}/complete" }, { "PUT", "/bti-level" }, { "POST", "/tasks/{id}/done" },
    };

    [Theory]
    [MemberData(nameof(CaseEndpoints))]
    public async Task Every_case_endpoint_answers_404_problem_details_for_a_case_one_may_not_see(string method, string suffix)
    {
        var (caseId, _, _) = await Case();
        using var outsider = coordination.Client("nav", "coordinator", "nav-outsider");
        var bodies = new Dictionary<string, string>
        {
            ["/sectors"] = """{"sector": "nav"}""",
            ["/handovers"] = """{"to": "nav-outsider", "toSector": "nav"}""",
            ["/handovers/{id}/decline"] = """{"reason": "nei"}""",
            ["/relay-log"] = """{"type": "note", "text": "x"}""",
            ["/measures"] = $$"""{"title": "x", "responsibleSector": "nav", "startsOn": "{{coordination.Today:yyyy-MM-dd}}", "nextReviewOn": "{{coordination.Today.AddDays(7):yyyy-MM-dd}}"}""",
            ["/measures/{id}/evaluations"] = $$"""{"helped": "yes", "nextReviewOn": "{{coordination.Today.AddDays(7):yyyy-MM-dd}}"}""",
            ["/bti-level"] = """{"level": 1, "reason": "x"}""",
        };

        foreach (var target in new[] { caseId, Guid.NewGuid() })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), $"/api/coordination/cases/{target}{suffix.Replace("{id}", Guid.NewGuid().ToString())}");
            if (bodies.TryGetValue(suffix, out var body))
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }
            await outsider.SendAsync(request).ExpectProblem(HttpStatusCode.NotFound, $"{method} {suffix}");
        }
    }

    [Theory]
    [InlineData("/api/coordination/cases/not-a-guid/plan")]
    [InlineData("/api/coordination/cases/12345/relay-log")]
    public async Task An_id_that_is_not_a_guid_is_404_problem_details(string path)
    {
        using var client = coordination.Client("oppvekst", "coordinator", Lead);
        await client.GetAsync(path).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Analysts_and_anonymous_callers_get_no_case_data()
    {
        var (caseId, _, _) = await Case();
        using var analyst = coordination.Client("oppvekst", "analyst", "analyst-anne");
        using var anonymous = coordination.Anonymous();

        await analyst.GetAsync($"/api/coordination/cases/{caseId}/relay-log").ExpectProblem(HttpStatusCode.Forbidden);
        await analyst.GetAsync("/api/coordination/my-work").ExpectProblem(HttpStatusCode.Forbidden);
        await anonymous.GetAsync("/api/coordination/sectors").ExpectProblem(HttpStatusCode.Unauthorized);
    }

    // One case for all these tests: led by Lead, kultur taking part, one measure and one waiting handover.
    private async Task<(Guid Case, Guid Measure, Guid Handover)> Case()
    {
        if (_caseId is { } existing)
        {
            return (existing, await Scalar("SELECT id FROM coordination.measures WHERE case_id = @c", existing),
                await Scalar("SELECT id FROM coordination.handovers WHERE case_id = @c", existing));
        }
        var caseId = await coordination.OpenCase(Lead, "oppvekst");
        await coordination.GiveConsent(caseId, "oppvekst", "kultur");
        using var lead = coordination.Client("oppvekst", "coordinator", Lead);
        await lead.Post($"/api/coordination/cases/{caseId}/sectors", new { sector = "kultur" }).Expect(HttpStatusCode.Created);
        await lead.Post($"/api/coordination/cases/{caseId}/measures", new
        {
            title = "Leksehjelp", responsibleSector = "kultur",
            startsOn = coordination.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            nextReviewOn = coordination.Today.AddDays(14).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        }).Expect(HttpStatusCode.Created);
        await lead.Post($"/api/coordination/cases/{caseId}/handovers", new { to = "kultur-bad", toSector = "kultur" }).Expect(HttpStatusCode.Created);
        _caseId = caseId;
        return await Case();
    }

    private async Task<Guid> Scalar(string sql, Guid caseId) => await coordination.Database.Scalar<Guid>(sql, ("c", caseId));

    private async Task<string> Counts()
    {
        var counts = new List<long>();
        foreach (var table in Tables)
        {
            counts.Add(await coordination.Database.Scalar<long>($"SELECT count(*) FROM coordination.{table}"));
        }
        return JsonSerializer.Serialize(counts);
    }
}
