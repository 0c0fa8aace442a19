using System.Net;
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
}
