using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Samskaping.IntegrationTests.EndToEnd;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Cases;

/// <summary>What a correction refuses, and what stays true around it: the reason is required, a number is validated, a
/// member or a case the caller may not see is 404, the number never shows in a URL, a trace or an event, and the
/// history of corrections, like the other append-only tables, cannot be changed behind the service's back.</summary>
[Collection(SystemCollection.Name)]
public sealed class CorrectionRulesTests(SystemFixture system)
{
    [Fact]
    public async Task A_correction_without_a_reason_or_with_an_invalid_number_is_422_naming_the_field()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var caseId = await CaseClient.Open(kari, "Familien Regel");
        var mother = await CaseClient.AddAdult(kari, caseId, "Mona Regel");

        await Refused(kari, $"/api/cases/{caseId}/members/{mother}/corrections", new { name = "Mona R." }, "reason");
        await Refused(kari, $"/api/cases/{caseId}/members/{mother}/corrections", new { name = "Mona R.", reason = "  " }, "reason");
        await Refused(kari, $"/api/cases/{caseId}/household/corrections", new { name = "Familien R." }, "reason");
        await Refused(kari, $"/api/cases/{caseId}/members/{mother}/corrections", new { identityNumber = Broken(IdentityNumbers.Adult()), reason = "Feil nummer." }, "identityNumber");
        await Refused(kari, $"/api/cases/{caseId}/members/{mother}/corrections", new { reason = "Ingenting." }, "name");
        await Refused(kari, $"/api/cases/{caseId}/members/{mother}/corrections", new { role = "aunt", reason = "Feil rolle." }, "role");
        await Refused(kari, $"/api/cases/{caseId}/members/{mother}/corrections", new { birthDate = "1950-01-01", reason = "Feil dato." }, "birthDate");
        await Refused(kari, $"/api/cases/{caseId}/members/{mother}/corrections", new { guardians = new[] { Guid.NewGuid() }, reason = "Verge." }, "guardians");
        (await system.Database("cases").Scalar<long>("SELECT count(*) FROM cases.corrections WHERE case_id = @c", ("c", caseId))).ShouldBe(0);
    }

    [Fact]
    public async Task An_unknown_member_or_text_and_another_sector_s_case_are_404()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        using var hilde = system.Client("helse-velferd", "caseworker");
        var caseId = await CaseClient.Open(kari, "Familien Skjult");
        var mother = await CaseClient.AddAdult(kari, caseId, "Mona Skjult");

        (await kari.PostAsJsonAsync($"/api/cases/{caseId}/members/{Guid.NewGuid()}/corrections", new { name = "X", reason = "Feil." }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        foreach (var kind in new[] { "needs", "resources", "goals" })
        {
            (await kari.PostAsJsonAsync($"/api/cases/{caseId}/{kind}/{Guid.NewGuid()}/corrections", new { text = "X", reason = "Feil." }))
                .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }
        (await hilde.PostAsJsonAsync($"/api/cases/{caseId}/members/{mother}/corrections", new { name = "Mona H.", reason = "Feil." }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await hilde.PostAsJsonAsync($"/api/cases/{caseId}/household/corrections", new { name = "Familien H.", reason = "Feil." }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // Not the privacy officer: the history of corrections is theirs.
        (await kari.GetAsync($"/api/cases/persons/{mother}/corrections")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await CaseClient.Read(kari, $"/api/cases/{caseId}")).GetProperty("members").EnumerateArray().Single().GetProperty("name").GetString().ShouldBe("Mona Skjult");
    }

    [Fact]
    public async Task A_correction_in_one_household_leaves_another_household_s_record_of_the_same_person_alone()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        using var hilde = system.Client("helse-velferd", "caseworker");
        var number = IdentityNumbers.Adult();
        var oppvekstCase = await CaseClient.Open(kari, "Familien En");
        var theirs = (await CaseClient.AddMember(kari, oppvekstCase, "Mona En", "parent", identityNumber: number)).GetProperty("personId").GetGuid();
        var helseCase = await CaseClient.Open(hilde, "Familien To");
        var mine = (await CaseClient.AddMember(hilde, helseCase, "Mona To", "parent", identityNumber: number)).GetProperty("personId").GetGuid();

        var answer = await CorrectionTests.Correct(hilde, $"/api/cases/{helseCase}/members/{mine}/corrections", new { name = "Mona Toen", reason = "Stavefeil." });

        string.Join(" ", answer.Select(a => a.ToString())).ShouldNotContain("Mona En");
        (await CaseClient.Read(kari, $"/api/cases/{oppvekstCase}")).GetProperty("members").EnumerateArray().Single().GetProperty("name").GetString()
            .ShouldBe("Mona En", "another household's record is never overwritten");
        (await system.Database("cases").Scalar<long>("SELECT count(*) FROM cases.corrections WHERE person_id = @p", ("p", theirs))).ShouldBe(0);
    }

    [Fact]
    public async Task The_identity_number_is_never_in_a_url_a_trace_an_event_or_the_access_log()
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var caseId = await CaseClient.Open(kari, "Familien Spor");
        var mother = await CaseClient.AddAdult(kari, caseId, "Mona Spor");
        var number = IdentityNumbers.Adult();

        await CorrectionTests.Correct(kari, $"/api/cases/{caseId}/members/{mother}/corrections", new { identityNumber = number, reason = "Feil nummer." });
        var invalid = await kari.PostAsJsonAsync($"/api/cases/{caseId}/members/{mother}/corrections", new { identityNumber = Broken(number), reason = "X." });

        (await invalid.Content.ReadAsStringAsync()).ShouldNotContain(number[..10]);
        foreach (var activity in system.Activities.ToArray())
        {
            var traced = activity.DisplayName + string.Join(' ', activity.TagObjects.Select(t => $"{t.Key}={t.Value}"));
            traced.ShouldNotContain(number);
            traced.ShouldNotContain(number[..10]);
        }
        var cases = system.Database("cases");
        (await cases.Scalar<long>("SELECT count(*) FROM messaging.outbox WHERE body::text LIKE @n", ("n", $"%{number}%"))).ShouldBe(0);
        (await cases.Scalar<long>("SELECT count(*) FROM access.access_log WHERE purpose LIKE @n", ("n", $"%{number}%"))).ShouldBe(0);
        (await cases.Scalar<long>("SELECT count(*) FROM cases.corrections WHERE coalesce(previous_value, '') || coalesce(new_value, '') LIKE @n",
            ("n", $"%{number}%"))).ShouldBe(0);
    }

    [Theory]
    [InlineData("UPDATE cases.corrections SET reason = 'skjult'")]
    [InlineData("DELETE FROM cases.corrections")]
    [InlineData("TRUNCATE cases.corrections CASCADE")]
    [InlineData("UPDATE access.access_log SET purpose = 'skjult'")]
    [InlineData("DELETE FROM access.access_log")]
    [InlineData("UPDATE cases.consents SET sectors = '{kultur}'")]
    [InlineData("DELETE FROM cases.consents")]
    public async Task The_corrections_and_the_other_append_only_tables_refuse_a_direct_change(string sql)
    {
        using var kari = system.Client("oppvekst", "caseworker");
        var caseId = await CaseClient.Open(kari, "Familien Spor");
        var mother = await CaseClient.AddAdult(kari, caseId, "Mona Fast");
        await CaseClient.Consent(kari, caseId, mother);
        await CorrectionTests.Correct(kari, $"/api/cases/{caseId}/members/{mother}/corrections", new { name = "Mona Fasting", reason = "Stavefeil." });

        await using var connection = new NpgsqlConnection(system.Database("cases").ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);

        var refused = await Should.ThrowAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        refused.MessageText.ShouldNotBeNullOrEmpty();
        (await system.Database("cases").Scalar<long>("SELECT count(*) FROM cases.corrections WHERE case_id = @c", ("c", caseId))).ShouldBe(1);
    }

    // The last check digit changed: a number that fails its checksum.
    private static string Broken(string number) => number[..10] + (char)('0' + ((number[10] - '0' + 1) % 10));

    private static async Task Refused(HttpClient client, string path, object body, string field)
    {
        var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, text);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(text);
    }
}
