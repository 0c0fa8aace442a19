using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Samskaping.IntegrationTests.EndToEnd;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Security.Fuzz;

/// <summary>
/// What the API fuzzer found, one regression test each: every one of these answered 500 (or a bare, bodiless 414)
/// before it was fixed at the source.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class FuzzFindingsTests(SystemFixture system)
{
    [Fact]
    public async Task A_nul_character_or_a_lone_surrogate_in_json_text_is_400_naming_the_field_and_writes_nothing()
    {
        using var kari = system.Client("oppvekst", "caseworker", subject: "kari-nul");
        var caseId = await SliceTests.OpenCase(kari);
        await SliceTests.EventuallyOk(kari, $"/api/coordination/cases/{caseId}");
        var cases = await CaseCount();

        var opened = await kari.PostAsync("/api/cases", Json("""{"householdName": "Berg\u0000hansen", "need": {"text": "hjelp"}}"""));
        var bti = await kari.PutAsync($"/api/coordination/cases/{caseId}/bti-level", Json("""{"level": 2, "reason": "Flere\u0000tjenester"}"""));
        var lone = await kari.PostAsync("/api/cases", Json("""{"householdName": "Berg\ud800", "need": {"text": "hjelp"}}"""));

        await ShouldBeBadRequestNaming(opened, "householdName");
        await ShouldBeBadRequestNaming(lone, "householdName");
        await ShouldBeBadRequestNaming(bti, "reason");
        (await CaseCount()).ShouldBe(cases);
        (await system.Database("coordination").Scalar<long>("SELECT count(*) FROM coordination.bti_levels WHERE case_id = @c", ("c", caseId))).ShouldBe(0);
    }

    [Fact]
    public async Task A_nul_character_in_a_query_value_is_400_naming_the_parameter()
    {
        using var kari = system.Client("oppvekst", "caseworker");

        var response = await kari.GetAsync("/api/cases?q=Berg%00hansen");

        await ShouldBeBadRequestNaming(response, "q");
    }

    [Theory]
    [InlineData("klingon-8")]
    [InlineData("utf-7")]
    [InlineData("\"unicode-2-0-utf-7\"")]
    public async Task A_body_in_a_charset_nobody_knows_is_415_problem_details(string charset)
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var cases = await CaseCount();
        var content = new StringContent("""{"householdName": "Familien Berg", "need": {"text": "hjelp"}}""", Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("application/json; charset=" + charset);

        var response = await kari.PostAsync("/api/cases", content);

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString().ShouldBe("The request body's charset is not supported.");
        (await CaseCount()).ShouldBe(cases);
    }

    [Fact]
    public async Task A_path_and_query_too_long_for_a_service_is_414_problem_details_from_the_gateway()
    {
        using var kari = system.Client("oppvekst", "caseworker");

        var response = await kari.GetAsync("/api/cases?q=" + new string('x', 9_000));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestUriTooLong);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("status").GetInt32().ShouldBe(414);
        problem.GetProperty("title").GetString().ShouldBe("The request's path and query are too long.");
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task ShouldBeBadRequestNaming(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(text);
    }

    private Task<long> CaseCount() => system.Database("cases").Scalar<long>("SELECT count(*) FROM cases.cases");
}
