using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.EndToEnd;

/// <summary>Bad input to the slice's endpoints: a problem details answer naming the field, never a 500, nothing written.</summary>
[Collection(SystemCollection.Name)]
public sealed class BadInputTests(SystemFixture system)
{
    /// <summary>400 when the body cannot be read as the operation's types, 422 when it was read but a value is not acceptable.</summary>
    public static TheoryData<string, string, string, int> BadBodies => new()
    {
        { "malformed JSON", """{"householdName": "Familien Berg", "need": {"text": "hjelp" """, "body", 400 },
        { "not JSON at all", "householdName=Berg", "body", 400 },
        { "household name of the wrong type", """{"householdName": 42, "need": {"text": "hjelp"}}""", "householdName", 400 },
        { "need of the wrong type", """{"householdName": "Familien Berg", "need": "hjelp"}""", "need", 400 },
        { "need text of the wrong type", """{"householdName": "Familien Berg", "need": {"text": ["hjelp"]}}""", "need.text", 400 },
        { "missing household name", """{"need": {"text": "hjelp"}}""", "householdName", 422 },
        { "empty household name", """{"householdName": "  ", "need": {"text": "hjelp"}}""", "householdName", 422 },
        { "missing need", """{"householdName": "Familien Berg"}""", "need", 422 },
        { "empty need text", """{"householdName": "Familien Berg", "need": {"text": ""}}""", "need.text", 422 },
        { "household name too long", $$$"""{"householdName": "{{{new string('x', 201)}}}", "need": {"text": "hjelp"}}""", "householdName", 422 },
        { "need text too long", $$$"""{"householdName": "Familien Berg", "need": {"text": "{{{new string('x', 4001)}}}"}}""", "need.text", 422 },
        { "null body", "null", "body", 400 },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Opening_a_case_with_bad_input_is_a_problem_naming_the_field_and_writes_nothing(string why, string json, string field, int status)
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var before = await CaseCount();

        var response = await kari.PostAsync("/api/cases", new StringContent(json, Encoding.UTF8, "application/json"));

        ((int)response.StatusCode).ShouldBe(status, why);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json", why);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue($"{why}: {problem}");
        problem.ToString().ShouldNotContain("   at ", customMessage: "no stack trace");
        (await CaseCount()).ShouldBe(before, why);
    }

    [Fact]
    public async Task Opening_a_case_without_a_json_body_is_400_problem_details()
    {
        using var kari = system.Client("oppvekst", "caseworker");

        var response = await kari.PostAsync("/api/cases", new StringContent("", Encoding.UTF8, "text/plain"));

        ((int)response.StatusCode).ShouldBeOneOf(400, 415);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Theory]
    [InlineData("/api/cases/not-a-guid")]
    [InlineData("/api/coordination/cases/12345")]
    [InlineData("/api/outcomes/cases/x/schedule")]
    public async Task An_id_that_is_not_a_guid_is_404_problem_details(string path)
    {
        using var kari = system.Client("oppvekst", "caseworker");

        var response = await kari.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task Only_caseworkers_and_coordinators_open_cases()
    {
        using var approver = system.Client("oppvekst", "grant-approver");

        var response = await approver.PostAsJsonAsync("/api/cases", new { householdName = "Familien Berg", need = new { text = "hjelp" } });

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    private Task<long> CaseCount() => system.Database("cases").Scalar<long>("SELECT count(*) FROM cases.cases");
}
