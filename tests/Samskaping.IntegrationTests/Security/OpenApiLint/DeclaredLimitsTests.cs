using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Samskaping.Benefits.Inbound;
using Samskaping.Cases.Consents;
using Samskaping.Grants.Requests;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.ServiceDefaults;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Security.OpenApiLint;

/// <summary>
/// The limits the OpenAPI documents declare for the lint (maxLength, maxItems, minimum/maximum) are the ones the
/// services enforce: a request just over a declared limit is refused, as problem details naming the field, and
/// nothing is written. These are the limits that were added or tightened to match the documents.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class DeclaredLimitsTests(SystemFixture system)
{
    [Fact]
    public async Task Text_is_measured_as_sent_so_padding_with_spaces_does_not_get_past_maxLength()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var before = await CaseCount();
        // 200 characters is the limit; the name is 199 characters and the padding takes it over.
        var name = new string('b', 199) + "   ";

        var response = await kari.PostAsJsonAsync("/api/cases", new { householdName = name, need = new { text = "hjelp" } });

        await ShouldBeUnprocessableNaming(response, "householdName");
        (await CaseCount()).ShouldBe(before);
    }

    [Fact]
    public async Task A_blank_optional_text_longer_than_its_limit_is_refused()
    {
        using var kari = system.Client("oppvekst", "caseworker");

        var response = await kari.PostAsJsonAsync("/api/cases",
            new { householdName = "Familien Berg", need = new { text = "hjelp", saidBy = new string(' ', 201) } });

        await ShouldBeUnprocessableNaming(response, "need.saidBy");
    }

    [Theory]
    [InlineData("0010")]
    [InlineData("00000000000000000000000000000001")]
    public async Task A_page_size_longer_than_three_digits_is_refused(string limit)
    {
        using var kari = system.Client("oppvekst", "caseworker");

        var response = await kari.GetAsync($"/api/cases?limit={limit}");

        await ShouldBeUnprocessableNaming(response, "limit");
    }

    [Fact]
    public async Task An_identity_number_padded_past_sixteen_characters_is_refused_without_echoing_it()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var padded = "010101" + new string(' ', 20) + "12345";

        var response = await kari.PostAsJsonAsync("/api/cases/persons/lookup", new { identityNumber = padded });

        var problem = await ShouldBeUnprocessableNaming(response, "identityNumber");
        problem.ToString().ShouldNotContain("12345");
    }

    [Fact]
    public async Task A_sector_code_padded_past_forty_characters_is_refused()
    {
        // Straight to the coordination service: adding a sector is an administrator's task the gateway does not route.
        using var admin = new HttpClient { BaseAddress = system.Address("coordination") };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For("oppvekst", "admin"));

        var response = await admin.PostAsJsonAsync("/api/coordination/sectors", new { code = "idrett" + new string(' ', 40), name = "Idrett" });

        await ShouldBeUnprocessableNaming(response, "code");
    }

    [Fact]
    public async Task Path_values_beyond_their_declared_limits_answer_404()
    {
        using var kari = system.Client("oppvekst", "caseworker");

        var longSector = await kari.DeleteAsync($"/api/coordination/cases/{Guid.NewGuid()}/sectors/{new string('s', 41)}");
        var longInstrument = await kari.GetAsync($"/api/outcomes/instruments/{new string('i', 101)}/versions/1");
        var versionZero = await kari.GetAsync("/api/outcomes/instruments/samskaping-core/versions/0");
        var versionOne = await kari.GetAsync("/api/outcomes/instruments/samskaping-core/versions/1");

        longSector.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        longInstrument.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        versionZero.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        versionOne.StatusCode.ShouldBe(HttpStatusCode.OK, "the constraints still let a real instrument version through");
    }

    [Fact]
    public async Task A_report_domain_longer_than_its_limit_is_refused()
    {
        using var analyst = system.Client("oppvekst", "analyst");

        var response = await analyst.GetAsync($"/api/outcomes/reports/change?domain={new string('d', 101)}");

        await ShouldBeUnprocessableNaming(response, "domain");
    }

    [Fact]
    public void More_consent_codes_than_declared_are_refused()
    {
        var request = new GiveConsent(Guid.NewGuid(), Guid.NewGuid(), [.. Enumerable.Repeat("oppvekst", ConsentRules.MaxCodes + 1)],
            ["coordination"], ["needs"], null, null);

        var (scope, errors) = ConsentRules.Validate(request, DateTimeOffset.UtcNow);

        scope.ShouldBeNull();
        errors.ToDictionary().Keys.ShouldBe(["sectors"]);
    }

    [Fact]
    public void Account_and_organisation_numbers_longer_than_declared_are_refused()
    {
        var tooLong = "1234 56 78903" + new string(' ', NorwegianNumbers.MaxTextLength);
        var request = new RequestGrant(Guid.NewGuid(), 100m, "Fotballsko", null,
            new PayeeBody("third-party", "Idrettslaget", tooLong, "974 760 673" + new string('.', NorwegianNumbers.MaxTextLength)), null);
        var errors = new ValidationErrors();

        request.Validate(errors);

        errors.ToDictionary().Keys.ShouldContain("payee.accountNumber");
        errors.ToDictionary().Keys.ShouldContain("payee.organisationNumber");
    }

    [Fact]
    public void A_person_ident_padded_past_sixteen_characters_is_refused()
    {
        var request = new InboundNotification("event-1", "01010" + new string(' ', 12) + "112345", "barnetrygd", "granted", 1000m,
            null, null, DateTimeOffset.UtcNow);

        var (valid, errors) = InboundRules.Validate(request, DateTimeOffset.UtcNow);

        valid.ShouldBeNull();
        errors.ToDictionary().Keys.ShouldBe(["personIdent"]);
    }

    /// <summary>A value that was read but is over its limit: 422 (docs/architecture.md §5).</summary>
    private static Task<JsonElement> ShouldBeUnprocessableNaming(HttpResponseMessage response, string field) =>
        ShouldBeRefusedNaming(response, field, HttpStatusCode.UnprocessableEntity);

    private static async Task<JsonElement> ShouldBeRefusedNaming(HttpResponseMessage response, string field, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = JsonDocument.Parse(body).RootElement;
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(body);
        body.ShouldNotContain("   at ", customMessage: "no stack trace");
        return problem;
    }

    private Task<long> CaseCount() => system.Database("cases").Scalar<long>("SELECT count(*) FROM cases.cases");
}
