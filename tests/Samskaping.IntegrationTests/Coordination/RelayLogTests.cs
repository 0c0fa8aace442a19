using System.Net;
using System.Text.Json;
using Npgsql;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Coordination;

/// <summary>The relay log (stafettlogg): who sees which confidentiality class, and that the database keeps it append-only.</summary>
[Collection(CoordinationCollection.Name)]
public sealed class RelayLogTests(CoordinationFixture coordination)
{
    [Fact]
    public async Task Each_confidentiality_class_is_seen_only_by_whom_it_is_meant_for()
    {
        var caseId = await coordination.OpenCase("lead-anna", "oppvekst");
        await coordination.GiveConsent(caseId, "oppvekst", "helse-velferd", "kultur");
        using var lead = coordination.Client("oppvekst", "coordinator", "lead-anna");
        await lead.Post($"/api/coordination/cases/{caseId}/sectors", new { sector = "helse-velferd" }).Expect(HttpStatusCode.Created);
        await lead.Post($"/api/coordination/cases/{caseId}/sectors", new { sector = "kultur" }).Expect(HttpStatusCode.Created);
        using var author = coordination.Client("helse-velferd", "caseworker", "hv-author");
        foreach (var confidentiality in new[] { "ordinary", "professional-secrecy", "restricted" })
        {
            await author.Post($"/api/coordination/cases/{caseId}/relay-log", new { type = "meeting", confidentiality, text = $"Møte ({confidentiality})." })
                .Expect(HttpStatusCode.Created);
        }

        var readers = new (string Who, string Sector, string Subject, string[] Sees)[]
        {
            ("the author", "helse-velferd", "hv-author", ["ordinary", "professional-secrecy", "restricted"]),
            ("a colleague in the author's sector", "helse-velferd", "hv-colleague", ["ordinary", "professional-secrecy"]),
            ("a worker of another participating sector", "kultur", "kultur-worker", ["ordinary"]),
            ("the lead coordinator", "oppvekst", "lead-anna", ["ordinary", "professional-secrecy", "restricted"]),
            ("a colleague of the lead in the lead's sector", "oppvekst", "oppvekst-colleague", ["ordinary"]),
        };
        foreach (var (who, sector, subject, sees) in readers)
        {
            using var reader = coordination.Client(sector, "caseworker", subject);
            var log = await reader.GetAsync($"/api/coordination/cases/{caseId}/relay-log").Expect(HttpStatusCode.OK, who);
            log.EnumerateArray().Where(e => e.GetProperty("type").GetString() == "meeting")
                .Select(e => e.GetProperty("confidentiality").GetString()).Order().ShouldBe(sees.Order(), who);
        }
        using var outsider = coordination.Client("nav", "caseworker", "nav-worker");
        await outsider.GetAsync($"/api/coordination/cases/{caseId}/relay-log").ExpectProblem(HttpStatusCode.NotFound, "a sector that does not take part");
        (await coordination.Database.Scalar<long>(
            "SELECT count(*) FROM access.access_log WHERE case_id = @c AND purpose = 'read relay log'", ("c", caseId))).ShouldBe(readers.Length);
    }

    [Fact]
    public async Task A_correction_is_a_new_entry_pointing_to_one_the_author_can_see()
    {
        var caseId = await coordination.OpenCase("lead-bjorn", "oppvekst");
        await coordination.GiveConsent(caseId, "oppvekst", "kultur");
        using var lead = coordination.Client("oppvekst", "coordinator", "lead-bjorn");
        await lead.Post($"/api/coordination/cases/{caseId}/sectors", new { sector = "kultur" }).Expect(HttpStatusCode.Created);
        using var kultur = coordination.Client("kultur", "caseworker", "kultur-kim");
        var wrong = await lead.Post($"/api/coordination/cases/{caseId}/relay-log", new { type = "decision", text = "Møtet er 3. mars." }).Expect(HttpStatusCode.Created);
        var secret = await lead.Post($"/api/coordination/cases/{caseId}/relay-log", new { type = "note", confidentiality = "restricted", text = "Kun for meg." })
            .Expect(HttpStatusCode.Created);

        var correction = await kultur.Post($"/api/coordination/cases/{caseId}/relay-log",
            new { type = "decision", text = "Rettelse: møtet er 4. mars.", corrects = wrong.GetProperty("id").GetGuid() }).Expect(HttpStatusCode.Created);

        correction.GetProperty("corrects").GetGuid().ShouldBe(wrong.GetProperty("id").GetGuid());
        await kultur.Post($"/api/coordination/cases/{caseId}/relay-log",
            new { type = "note", text = "Rettelse", corrects = secret.GetProperty("id").GetGuid() }).ExpectProblem(HttpStatusCode.UnprocessableEntity, "an entry kultur cannot see");
        await kultur.Post($"/api/coordination/cases/{caseId}/relay-log",
            new { type = "note", text = "Rettelse", corrects = Guid.NewGuid() }).ExpectProblem(HttpStatusCode.UnprocessableEntity, "no such entry");
        var log = await lead.GetAsync($"/api/coordination/cases/{caseId}/relay-log").Expect(HttpStatusCode.OK);
        log.Strings("text").ShouldContain("Møtet er 3. mars.");
    }

    [Theory]
    [InlineData("UPDATE coordination.relay_log SET text = 'changed'")]
    [InlineData("DELETE FROM coordination.relay_log")]
    [InlineData("TRUNCATE coordination.relay_log CASCADE")]
    public async Task The_database_refuses_to_change_or_remove_an_entry(string sql)
    {
        var caseId = await coordination.OpenCase("lead-cato", "oppvekst");
        using var lead = coordination.Client("oppvekst", "coordinator", "lead-cato");
        await lead.Post($"/api/coordination/cases/{caseId}/relay-log", new { type = "note", text = "Står for alltid." }).Expect(HttpStatusCode.Created);
        await using var connection = new NpgsqlConnection(coordination.Database.ConnectionString);
        await connection.OpenAsync();
        await using var change = new NpgsqlCommand(sql, connection);

        var refused = await Should.ThrowAsync<PostgresException>(() => change.ExecuteNonQueryAsync());

        refused.MessageText.ShouldContain("append-only");
        (await coordination.Database.Scalar<long>(
            "SELECT count(*) FROM coordination.relay_log WHERE case_id = @c AND text = 'Står for alltid.'", ("c", caseId))).ShouldBe(1);
    }

    [Fact]
    public async Task A_health_entry_is_shown_without_its_text_to_a_sector_whose_consents_do_not_name_health_and_says_so()
    {
        var caseId = await coordination.OpenCase("lead-dina", "oppvekst");
        await coordination.GiveConsentNaming(caseId, ["needs"], "oppvekst", "helse-velferd");
        using var lead = coordination.Client("oppvekst", "coordinator", "lead-dina");
        await lead.Post($"/api/coordination/cases/{caseId}/sectors", new { sector = "helse-velferd" }).Expect(HttpStatusCode.Created);
        var health = await lead.Post($"/api/coordination/cases/{caseId}/relay-log",
            new { type = "meeting", category = "health", text = "Mor fortalte om angst og søvnvansker." }).Expect(HttpStatusCode.Created);
        health.GetProperty("category").GetString().ShouldBe("health");
        await lead.Post($"/api/coordination/cases/{caseId}/relay-log", new { type = "note", text = "Neste møte 4. mars." }).Expect(HttpStatusCode.Created);
        using var hanne = coordination.Client("helse-velferd", "caseworker", "hv-hanne");
        using var henrik = coordination.Client("helse-velferd", "caseworker", "hv-henrik");
        var school = await hanne.Post($"/api/coordination/cases/{caseId}/relay-log",
            new { type = "note", category = "school", text = "Skolen melder mye fravær." }).Expect(HttpStatusCode.Created, "a writer need not be able to read the category back");
        school.GetProperty("text").GetString().ShouldBe("Skolen melder mye fravær.");

        var withheld = Entry(await hanne.GetAsync($"/api/coordination/cases/{caseId}/relay-log").Expect(HttpStatusCode.OK), health);
        withheld.GetProperty("text").ValueKind.ShouldBe(JsonValueKind.Null, "the consent covering helse-velferd names needs, not health");
        withheld.GetProperty("withheld").GetString().ShouldBe("health");
        withheld.GetProperty("category").GetString().ShouldBe("health");
        withheld.GetProperty("type").GetString().ShouldBe("meeting");
        withheld.GetProperty("authorSector").GetString().ShouldBe("oppvekst");
        withheld.GetProperty("confidentiality").GetString().ShouldBe("ordinary");
        withheld.GetProperty("at").GetDateTimeOffset().ShouldBe(health.GetProperty("at").GetDateTimeOffset());
        var hannesLog = await hanne.GetAsync($"/api/coordination/cases/{caseId}/relay-log").Expect(HttpStatusCode.OK);
        hannesLog.Strings("text").ShouldContain("Neste møte 4. mars.", "an entry without a category is not gated");
        Entry(hannesLog, school).GetProperty("text").GetString().ShouldBe("Skolen melder mye fravær.", "the author is shown their own text");
        var forHenrik = await henrik.GetAsync($"/api/coordination/cases/{caseId}/relay-log").Expect(HttpStatusCode.OK);
        Entry(forHenrik, school).GetProperty("withheld").GetString().ShouldBe("school", "the author's colleague is gated as anyone else");
        Entry(forHenrik, school).GetProperty("text").ValueKind.ShouldBe(JsonValueKind.Null);
        var forLead = await lead.GetAsync($"/api/coordination/cases/{caseId}/relay-log").Expect(HttpStatusCode.OK);
        Entry(forLead, health).GetProperty("text").GetString().ShouldBe("Mor fortalte om angst og søvnvansker.", "the lead coordinator sees every category");
        Entry(forLead, school).GetProperty("withheld").ValueKind.ShouldBe(JsonValueKind.Null);

        await coordination.GiveConsentNaming(caseId, ["needs", "health"], "helse-velferd");

        var consented = Entry(await hanne.GetAsync($"/api/coordination/cases/{caseId}/relay-log").Expect(HttpStatusCode.OK), health);
        consented.GetProperty("text").GetString().ShouldBe("Mor fortalte om angst og søvnvansker.", "a consent now names health for helse-velferd");
        consented.GetProperty("withheld").ValueKind.ShouldBe(JsonValueKind.Null);
        Entry(await henrik.GetAsync($"/api/coordination/cases/{caseId}/relay-log").Expect(HttpStatusCode.OK), school)
            .GetProperty("withheld").GetString().ShouldBe("school", "no consent names school");
        Entry(await lead.GetAsync($"/api/coordination/cases/{caseId}/relay-log").Expect(HttpStatusCode.OK), health)
            .GetProperty("text").GetString().ShouldBe("Mor fortalte om angst og søvnvansker.");

        var refused = await lead.Post($"/api/coordination/cases/{caseId}/relay-log", new { type = "note", category = "gossip", text = "x" })
            .ExpectProblem(HttpStatusCode.UnprocessableEntity, "an unknown category");
        refused.GetProperty("errors").TryGetProperty("category", out _).ShouldBeTrue(refused.ToString());
    }

    private static JsonElement Entry(JsonElement log, JsonElement written) =>
        log.EnumerateArray().Single(e => e.GetProperty("id").GetGuid() == written.GetProperty("id").GetGuid());
}
