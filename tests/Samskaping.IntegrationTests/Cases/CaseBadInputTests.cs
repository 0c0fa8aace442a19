using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Samskaping.IntegrationTests.EndToEnd;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Cases;

/// <summary>Bad input on every endpoint of cases: a problem details answer naming the field, never a 500, nothing written.</summary>
[Collection(SystemCollection.Name)]
public sealed class CaseBadInputTests(SystemFixture system)
{
    private static readonly string Long = new('x', 4001);

    /// <summary>
    /// {case}, {mona}, {consent} and {goal} are filled in with a real case's ids; {adult} and {child} with valid identity
    /// numbers. 400 when the body cannot be read as the operation's types; 422 when it was read but a value is not acceptable.
    /// </summary>
    public static TheoryData<string, string, string, int> BadRequests => new()
    {
        // open
        { "/api/cases", """{"householdName": "Familien Berg", "need": {"text": "hjelp"}, "referral": {"source": "politiet"}}""", "referral.source", 422 },
        { "/api/cases", """{"householdName": "Familien Berg", "need": {"text": "hjelp"}, "householdId": "not-a-guid"}""", "householdId", 400 },
        { "/api/cases", $$$"""{"householdName": "Familien Berg", "need": {"text": "hjelp"}, "referral": {"source": "self", "reason": "{{{Long}}}"}}""", "referral.reason", 422 },
        { "/api/cases", """{"need": {"text": "hjelp"}, "householdId": "00000000-0000-0000-0000-000000000001"}""", "householdId", 422 },
        // status
        { "/api/cases/{case}/status", """{"to": "archived", "reason": "x"}""", "to", 422 },
        { "/api/cases/{case}/status", """{"to": "intake"}""", "reason", 422 },
        { "/api/cases/{case}/status", """{"to": 3, "reason": "x"}""", "to", 400 },
        { "/api/cases/{case}/status", """{"to": "intake", "reason": "x" """, "body", 400 },
        { "/api/cases/{case}/status", $$"""{"to": "intake", "reason": "{{Long}}"}""", "reason", 422 },
        // needs and resources
        { "/api/cases/{case}/needs", """{"text": ""}""", "text", 422 },
        { "/api/cases/{case}/needs", $$"""{"text": "{{Long}}"}""", "text", 422 },
        { "/api/cases/{case}/needs", """{"text": {"nested": true}}""", "text", 400 },
        { "/api/cases/{case}/resources", """{"text": "Mormor", "saidBy": 12}""", "saidBy", 400 },
        { "/api/cases/{case}/resources", """[1, 2]""", "body", 400 },
        // goals
        { "/api/cases/{case}/goals", """{"text": "Mer ro", "proposedBy": "the-mayor"}""", "proposedBy", 422 },
        { "/api/cases/{case}/goals", """{"proposedBy": "family"}""", "text", 422 },
        { "/api/cases/{case}/goals/{goal}/status", """{"status": "agreed"}""", "status", 422 },
        { "/api/cases/{case}/goals/{goal}/status", """{"status": null}""", "status", 422 },
        // members
        { "/api/cases/{case}/members", """{"name": "Sara", "role": "child", "identityNumber": "12345678901"}""", "identityNumber", 422 },
        { "/api/cases/{case}/members", """{"name": "Sara", "role": "child", "identityNumber": "1234"}""", "identityNumber", 422 },
        { "/api/cases/{case}/members", """{"name": "Sara", "role": "child", "identityNumber": 12345678901}""", "identityNumber", 400 },
        { "/api/cases/{case}/members", """{"name": "Sara", "role": "daughter", "birthDate": "2015-01-01"}""", "role", 422 },
        { "/api/cases/{case}/members", """{"name": "Sara", "role": "child", "birthDate": "01.01.2015"}""", "birthDate", 400 },
        { "/api/cases/{case}/members", """{"name": "Sara", "role": "child", "birthDate": "2099-01-01"}""", "birthDate", 422 },
        { "/api/cases/{case}/members", """{"name": "Sara", "role": "child", "birthDate": "1950-01-01", "identityNumber": "{adult}"}""", "birthDate", 422 },
        { "/api/cases/{case}/members", $$"""{"name": "{{Long}}", "role": "child", "birthDate": "2015-01-01"}""", "name", 422 },
        { "/api/cases/{case}/members", """{"name": "Sara", "role": "child", "birthDate": "2015-01-01", "guardians": ["nope"]}""", "guardians[0]", 400 },
        { "/api/cases/{case}/members", """{"name": "Sara", "role": "child", "identityNumber": "{child}", "guardians": ["00000000-0000-0000-0000-000000000001"]}""", "guardians", 422 },
        // consents
        { "/api/cases/{case}/consents", """{"personId": "{mona}", "givenByPersonId": "{mona}", "sectors": ["politi"], "purposes": ["coordination"], "dataCategories": ["needs"]}""", "sectors", 422 },
        { "/api/cases/{case}/consents", """{"personId": "{mona}", "givenByPersonId": "{mona}", "sectors": ["nav"], "purposes": ["marketing"], "dataCategories": ["needs"]}""", "purposes", 422 },
        { "/api/cases/{case}/consents", """{"personId": "{mona}", "givenByPersonId": "{mona}", "sectors": ["nav"], "purposes": ["grants"], "dataCategories": ["dna"]}""", "dataCategories", 422 },
        { "/api/cases/{case}/consents", """{"personId": "{mona}", "givenByPersonId": "{mona}", "sectors": "nav", "purposes": ["grants"], "dataCategories": ["needs"]}""", "sectors", 400 },
        { "/api/cases/{case}/consents", """{"personId": "{mona}", "givenByPersonId": "{mona}", "sectors": ["nav"], "purposes": ["grants"], "dataCategories": ["needs"], "validFrom": "2001-01-01T00:00:00Z"}""", "validFrom", 422 },
        { "/api/cases/{case}/consents", """{"personId": "{mona}", "givenByPersonId": "{mona}", "sectors": ["nav"], "purposes": ["grants"], "dataCategories": ["needs"], "validTo": "yesterday"}""", "validTo", 400 },
        { "/api/cases/{case}/consents", """{"personId": "00000000-0000-0000-0000-000000000001", "givenByPersonId": "{mona}", "sectors": ["nav"], "purposes": ["grants"], "dataCategories": ["needs"]}""", "personId", 422 },
        { "/api/cases/{case}/consents/{consent}/withdrawal", """{"reason": ""}""", "reason", 422 },
        { "/api/cases/{case}/consents/{consent}/withdrawal", """{"reason": ["x"]}""", "reason", 400 },
        // lookup
        { "/api/cases/persons/lookup", """{"identityNumber": "01010112345"}""", "identityNumber", 422 },
        { "/api/cases/persons/lookup", """{}""", "identityNumber", 422 },
        { "/api/cases/persons/lookup", """{"identityNumber": 1010112345}""", "identityNumber", 400 },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_a_problem_naming_the_field_and_writes_nothing(string path, string json, string field, int status)
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var (caseId, mona, consent, goal) = await Setup(kari);
        string Fill(string s) => s.Replace("{case}", caseId.ToString(), StringComparison.Ordinal).Replace("{mona}", mona.ToString(), StringComparison.Ordinal)
            .Replace("{consent}", consent.ToString(), StringComparison.Ordinal).Replace("{goal}", goal.ToString(), StringComparison.Ordinal)
            .Replace("{adult}", IdentityNumbers.Adult(), StringComparison.Ordinal).Replace("{child}", IdentityNumbers.Child(), StringComparison.Ordinal);
        var before = await Fingerprint(caseId);

        var response = await kari.PostAsync(Fill(path), new StringContent(Fill(json), Encoding.UTF8, "application/json"));

        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(status, body);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        JsonSerializer.Deserialize<JsonElement>(body).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(body);
        body.ShouldNotContain("   at ", customMessage: "no stack trace");
        (await Fingerprint(caseId)).ShouldBe(before);
    }

    [Fact]
    public async Task An_identity_number_in_a_bad_request_is_not_echoed_or_logged()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var (caseId, _, _, _) = await Setup(kari);
        var number = IdentityNumbers.Adult();

        var response = await kari.PostAsJsonAsync($"/api/cases/{caseId}/members", new { name = "Sara", role = "child", birthDate = "1950-01-01", identityNumber = number });

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain(number);
    }

    [Fact]
    public async Task A_goal_or_consent_that_is_not_the_cases_is_404()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var (caseId, _, _, _) = await Setup(kari);

        (await kari.PostAsJsonAsync($"/api/cases/{caseId}/goals/{Guid.NewGuid()}/status", new { status = "achieved" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await kari.PostAsJsonAsync($"/api/cases/{caseId}/consents/{Guid.NewGuid()}/withdrawal", new { reason = "x" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private static async Task<(Guid Case, Guid Mona, Guid Consent, Guid Goal)> Setup(HttpClient kari)
    {
        var caseId = await CaseClient.Open(kari);
        var mona = await CaseClient.AddAdult(kari, caseId);
        var consent = await CaseClient.Consent(kari, caseId, mona);
        var goal = (await (await kari.PostAsJsonAsync($"/api/cases/{caseId}/goals", new { text = "Ro", proposedBy = "family" }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return (caseId, mona, consent, goal);
    }

    private async Task<string> Fingerprint(Guid caseId) =>
        (await system.Database("cases").Scalar<string>(
            """
            SELECT concat_ws(',', (SELECT count(*) FROM cases.cases), (SELECT count(*) FROM cases.households), (SELECT count(*) FROM cases.persons),
                (SELECT count(*) FROM cases.household_members), (SELECT count(*) FROM cases.guardianships), (SELECT count(*) FROM cases.needs),
                (SELECT count(*) FROM cases.resources), (SELECT count(*) FROM cases.goals WHERE status = 'agreed'), (SELECT count(*) FROM cases.consents WHERE withdrawn_at IS NULL),
                (SELECT count(*) FROM cases.status_changes), (SELECT count(*) FROM cases.timeline WHERE source = 'cases'), (SELECT count(*) FROM messaging.outbox),
                (SELECT status FROM cases.cases WHERE id = @c))
            """, ("c", caseId)))!;
}
