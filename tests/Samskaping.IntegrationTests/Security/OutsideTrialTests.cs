using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Samskaping.IntegrationTests.Cases;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Security;

/// <summary>
/// What an outside test of the system found ("Trust: what broke when the system was tried from outside"), one
/// regression test each: every one of these answered a 500, or an answer that was not problem details, before it was
/// fixed at its cause in the service defaults, so each holds for every service.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class OutsideTrialTests(SystemFixture system)
{
    /// <summary>
    /// One JSON endpoint per service that a caseworker or an admin of oppvekst may call, and a body its validation
    /// refuses, so an answer below 500 shows the body was read and bound (benefits takes JSON only from the benefit
    /// system: <c>InboundTests</c>).
    /// </summary>
    public static TheoryData<string, string, string> JsonEndpoints => new()
    {
        { "cases", "POST /api/cases", """{"householdName": "", "need": {"text": "hjelp"}}""" },
        { "coordination", $"PUT /api/coordination/cases/{Guid.NewGuid()}/bti-level", """{"level": 9, "reason": ""}""" },
        { "grants", "POST /api/grants/funds", """{"name": ""}""" },
        { "outcomes", $"POST /api/outcomes/cases/{Guid.NewGuid()}/measurements/{Guid.NewGuid()}/responses", """{"answers": []}""" },
    };

    [Fact]
    public async Task A_quoted_charset_is_read_as_that_charset_and_an_unknown_quoted_one_is_415()
    {
        using var kari = system.Client("oppvekst", "caseworker", "kari-charset");
        var body = """{"householdName": "Familien Ødegård", "need": {"text": "Vi trenger hjelp."}}""";

        var quoted = await kari.PostAsync("/api/cases", Json(body, "application/json; charset=\"utf-8\""));
        var upper = await kari.PostAsync("/api/cases", Json(body, "application/json; charset=\"UTF-8\""));
        var unknown = await kari.PostAsync("/api/cases", Json(body, "application/json; charset=\"klingon-8\""));

        quoted.StatusCode.ShouldBe(HttpStatusCode.Created, await quoted.Content.ReadAsStringAsync());
        upper.StatusCode.ShouldBe(HttpStatusCode.Created, await upper.Content.ReadAsStringAsync());
        var opened = JsonDocument.Parse(await quoted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        (await CaseClient.Read(kari, $"/api/cases/{opened}")).GetProperty("householdName").GetString().ShouldBe("Familien Ødegård");
        await ShouldBeProblem(unknown, HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [MemberData(nameof(JsonEndpoints))]
    public async Task Every_service_reads_a_body_sent_with_a_quoted_charset(string service, string operation, string body)
    {
        using var worker = service == "grants" ? system.Client("oppvekst", "admin", "admin-charset") : system.Client("oppvekst", "caseworker", "kari-charset");
        using var request = Request(operation);
        request.Content = Json(body, "application/json; charset=\"utf-8\"");
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        var response = await worker.SendAsync(request);

        ((int)response.StatusCode).ShouldBeLessThan(500, await response.Content.ReadAsStringAsync());
        response.StatusCode.ShouldNotBe(HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("sectors", """["oppvekst", null]""")]
    [InlineData("purposes", "[null]")]
    [InlineData("dataCategories", "[null]")]
    public async Task A_null_inside_a_list_of_codes_is_400_naming_the_list_and_records_nothing(string field, string list)
    {
        using var kari = system.Client("oppvekst", "caseworker", "kari-nulls");
        var caseId = await CaseClient.Open(kari, "Familien Null");
        var person = await CaseClient.AddAdult(kari, caseId);
        var consent = new Dictionary<string, string>
        {
            ["sectors"] = """["oppvekst"]""",
            ["purposes"] = """["coordination"]""",
            ["dataCategories"] = """["needs"]""",
        };
        consent[field] = list;
        var body = $$"""{"personId": "{{person}}", "givenByPersonId": "{{person}}", "sectors": {{consent["sectors"]}}, "purposes": {{consent["purposes"]}}, "dataCategories": {{consent["dataCategories"]}}}""";

        var response = await kari.PostAsync($"/api/cases/{caseId}/consents", Json(body));

        (await ShouldBeBadRequestNaming(response, field)).ShouldContain("null");
        (await system.Database("cases").Scalar<long>("SELECT count(*) FROM cases.consents WHERE case_id = @c", ("c", caseId))).ShouldBe(0);
    }

    [Theory]
    [InlineData("validFrom", "2030-01-01T10:00:00")]
    [InlineData("validTo", "2031-01-01T10:00:00.123")]
    [InlineData("validTo", "2031-01-01")]
    public async Task A_point_in_time_without_an_offset_is_400_naming_the_field(string field, string value)
    {
        using var kari = system.Client("oppvekst", "caseworker", "kari-offset");
        var caseId = await CaseClient.Open(kari, "Familien Tid");
        var person = await CaseClient.AddAdult(kari, caseId);
        var body = $$"""{"personId": "{{person}}", "givenByPersonId": "{{person}}", "sectors": ["oppvekst"], "purposes": ["coordination"], "dataCategories": ["needs"], "{{field}}": "{{value}}"}""";

        var response = await kari.PostAsync($"/api/cases/{caseId}/consents", Json(body));

        (await ShouldBeBadRequestNaming(response, field)).ShouldContain("offset");
        var withOffset = await kari.PostAsync($"/api/cases/{caseId}/consents", Json(body.Replace(value, "2031-01-01T10:00:00+01:00", StringComparison.Ordinal)));
        withOffset.StatusCode.ShouldBe(HttpStatusCode.Created, await withOffset.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("grants", "POST /api/grants/funds", """{"name": "Fond", "owner": "oppvekst", "periodStart": "2026-01-01", "periodEnd": "2026-12-31", "budget": "100000", "approvalThreshold": 3000, "householdCap": 15000, "lowBalanceThreshold": 100}""", "budget")]
    [InlineData("coordination", "PUT /api/coordination/cases/{case}/bti-level", """{"level": "2", "reason": "Tettere oppfølging."}""", "level")]
    public async Task A_number_written_as_text_is_400_naming_the_field(string service, string operation, string body, string field)
    {
        using var worker = service == "grants" ? system.Client("oppvekst", "admin", "admin-number-text") : system.Client("oppvekst", "caseworker", "kari-number-text");
        using var request = Request(operation.Replace("{case}", Guid.NewGuid().ToString(), StringComparison.Ordinal));
        request.Content = Json(body);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        var response = await worker.SendAsync(request);

        await ShouldBeBadRequestNaming(response, field);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"x\"")]
    [InlineData("5")]
    [InlineData("true")]
    public async Task Well_formed_json_that_is_not_an_object_is_400_saying_an_object_is_required(string body)
    {
        using var kari = system.Client("oppvekst", "caseworker", "kari-not-object");

        var response = await kari.PostAsync("/api/cases", Json(body));

        var message = await ShouldBeBadRequestNaming(response, "body");
        message.ShouldContain("JSON object is required");
        message.ShouldNotContain("well-formed");
    }

    [Theory]
    [InlineData("cases", "POST /api/cases")]
    [InlineData("coordination", "POST /api/coordination/sectors")]
    [InlineData("grants", "POST /api/grants/funds")]
    [InlineData("outcomes", "POST /api/outcomes/cases/{id}/measurements/{id}/responses")]
    [InlineData("benefits", "POST /api/benefits/inbound")]
    public async Task Every_service_answers_its_refusals_as_problem_details_to_a_browser(string service, string operation)
    {
        using var direct = new HttpClient { BaseAddress = system.Address(service) };
        // What a browser asks for when it follows a link: no JSON, no */*.
        direct.DefaultRequestHeaders.TryAddWithoutValidation("Accept", "text/html");
        var worker = new AuthenticationHeaderValue("Bearer", Tokens.For("oppvekst", "caseworker", "kari-browser"));
        var analyst = new AuthenticationHeaderValue("Bearer", Tokens.For("oppvekst", "analyst", "analyst-browser"));
        operation = operation.Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
        using var textBody = Request(operation, worker);
        textBody.Content = new StringContent("{}", Encoding.UTF8, "text/plain");

        await ShouldBeProblem(await direct.SendAsync(Request($"GET /api/{service}/nothing-here")), HttpStatusCode.Unauthorized);
        await ShouldBeProblem(await direct.SendAsync(Request($"GET /api/{service}/nothing/here/at/all", worker)), HttpStatusCode.NotFound);
        await ShouldBeProblem(await direct.SendAsync(Request($"GET /api/{service}/x?q=a%00b", worker)), HttpStatusCode.BadRequest);
        await ShouldBeProblem(await direct.SendAsync(Request("DELETE" + operation[operation.IndexOf(' ', StringComparison.Ordinal)..], worker)), HttpStatusCode.MethodNotAllowed);
        await ShouldBeProblem(await direct.SendAsync(textBody), HttpStatusCode.UnsupportedMediaType);
        using var notAllowed = Request(operation, analyst);
        notAllowed.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        // The inbound endpoint takes the benefit system's token only: a staff token there is not accepted at all.
        await ShouldBeProblem(await direct.SendAsync(notAllowed), service == "benefits" ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden);
    }

    /// <summary>"POST /api/cases" as a request, with a bearer token if one is given.</summary>
    private static HttpRequestMessage Request(string operation, AuthenticationHeaderValue? token = null)
    {
        var (method, path) = (operation[..operation.IndexOf(' ', StringComparison.Ordinal)], operation[(operation.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        return new HttpRequestMessage(new HttpMethod(method), path) { Headers = { Authorization = token } };
    }

    private static StringContent Json(string json, string contentType = "application/json")
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    private static async Task ShouldBeProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", $"{(int)status}: {text}");
        var problem = JsonDocument.Parse(text).RootElement;
        problem.GetProperty("status").GetInt32().ShouldBe((int)status);
        problem.GetProperty("title").GetString().ShouldNotBeNullOrWhiteSpace();
    }

    /// <summary>Asserts a 400 problem whose errors name <paramref name="field"/>; returns what it says about it.</summary>
    private static async Task<string> ShouldBeBadRequestNaming(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out var messages).ShouldBeTrue(text);
        return string.Join(" ", messages.EnumerateArray().Select(m => m.GetString()));
    }
}
