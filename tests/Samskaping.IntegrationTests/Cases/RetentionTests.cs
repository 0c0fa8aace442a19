using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Samskaping.Cases.Retention;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Cases;

/// <summary>
/// Retention and anonymisation in cases (docs/privacy.md): the sweep anonymises closed cases past the retention period
/// that are under no legal hold, the privacy officer erases a case opened by mistake, and the status shows which
/// services have done their part.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class RetentionTests(SystemFixture system)
{
    [Fact]
    public async Task The_sweep_removes_every_seeded_personal_value_from_the_cases_database_once_and_keeps_ids_and_statuses()
    {
        var token = Token();
        using var kari = system.Client("oppvekst", "caseworker", "kari-retention");
        using var officer = system.Client("nav", "privacy-officer", "ombud-retention");
        var caseId = await CaseClient.Open(kari, $"Familien {token}");
        var view = await CaseClient.Read(kari, $"/api/cases/{caseId}");
        var need = view.GetProperty("needs").EnumerateArray().Single().GetProperty("id").GetGuid();
        var motherNumber = IdentityNumbers.Adult();
        var childNumber = IdentityNumbers.Child();
        var mother = (await CaseClient.AddMember(kari, caseId, $"Mona {token}", "parent", identityNumber: motherNumber)).GetProperty("personId").GetGuid();
        var child = (await CaseClient.AddMember(kari, caseId, $"Sara {token}", "child", identityNumber: childNumber, guardians: [mother]))
            .GetProperty("personId").GetGuid();
        await CaseClient.Consent(kari, caseId, mother);
        (await kari.PostAsJsonAsync($"/api/cases/{caseId}/resources", new { text = $"Mormor {token} kjører.", saidBy = $"Mor {token}" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await kari.PostAsJsonAsync($"/api/cases/{caseId}/goals", new { text = $"{token} trener hver uke.", proposedBy = "family" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var newNumber = IdentityNumbers.Adult();
        (await kari.PostAsJsonAsync($"/api/cases/{caseId}/members/{mother}/corrections",
            new { name = $"Mona {token}sen", identityNumber = newNumber, reason = $"Feil navn {token}." })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await kari.PostAsJsonAsync($"/api/cases/{caseId}/needs/{need}/corrections",
            new { text = $"{token} trenger hjelp med matte.", reason = $"Mor {token} rettet." })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await CaseClient.Move(kari, caseId, "closed", $"Avsluttet etter samtale med {token}.")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var lookups = (await new NpgsqlConnection(system.Database("cases").ConnectionString).QueryAsync<byte[]>(
            "SELECT identity_number_lookup FROM cases.household_members m JOIN cases.cases c ON c.household_id = m.household_id WHERE c.id = @caseId",
            new { caseId })).ToList();
        lookups.Count.ShouldBe(2);
        await Eventually.True(async () => await system.Database("cases").Scalar<long>(
            "SELECT count(*) FROM messaging.outbox WHERE case_id = @c AND published_at IS NULL", ("c", caseId)) == 0, what: "the case's events to be published");
        var statusChanges = await system.Database("cases").Scalar<long>("SELECT count(*) FROM cases.status_changes WHERE case_id = @c", ("c", caseId));

        (await Sweep(caseId, closedYearsAgo: 5)).ShouldNotContain(caseId, "closed five years ago: not past the period");
        (await Sweep(caseId, closedYearsAgo: 7)).ShouldContain(caseId);

        var values = new[] { token, motherNumber, childNumber, newNumber };
        var found = await Scan(values, lookups);
        found.ShouldBeEmpty();
        (await system.Database("cases").Scalar<string>("SELECT status FROM cases.cases WHERE id = @c", ("c", caseId))).ShouldBe("closed");
        (await system.Database("cases").Scalar<long>("SELECT count(*) FROM cases.status_changes WHERE case_id = @c", ("c", caseId))).ShouldBe(statusChanges);
        (await system.Database("cases").Scalar<string>("SELECT to_char(birth_date, 'MM-DD') FROM cases.persons WHERE id = @p", ("p", child))).ShouldBe("01-01");
        (await system.Database("cases").Scalar<string>(
            "SELECT ground || ' ' || ordered_by FROM cases.anonymisations WHERE case_id = @c", ("c", caseId))).ShouldBe("retention-expired retention");
        (await system.Database("cases").Scalar<long>(
            "SELECT count(*) FROM messaging.outbox WHERE case_id = @c AND message_type LIKE '%CaseAnonymisationOrdered'", ("c", caseId))).ShouldBe(1);

        // A repeated sweep or order changes nothing more; the append-only history refuses any other path.
        (await Sweep(caseId, closedYearsAgo: 7)).ShouldNotContain(caseId);
        (await system.Database("cases").Scalar<int>(
            "SELECT cases.anonymise_case(@c, (SELECT anonymisation_id FROM cases.anonymisations WHERE case_id = @c), 'retention-expired', 'again', 'retention')",
            ("c", caseId))).ShouldBe(0);
        (await system.Database("cases").Scalar<long>(
            "SELECT count(*) FROM messaging.outbox WHERE case_id = @c AND message_type LIKE '%CaseAnonymisationOrdered'", ("c", caseId))).ShouldBe(1);
        await Should.ThrowAsync<PostgresException>(() => new NpgsqlConnection(system.Database("cases").ConnectionString).ExecuteAsync(
            "UPDATE cases.corrections SET reason = 'endret' WHERE case_id = @caseId", new { caseId }));

        // The anonymised case reads as anonymised, and cannot be reopened or written to.
        var read = await CaseClient.Read(kari, $"/api/cases/{caseId}");
        read.GetProperty("householdName").GetString().ShouldBe("anonymisert");
        read.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("name").GetString()).ShouldAllBe(n => n == "anonymisert");
        var reopen = await CaseClient.Move(kari, caseId, "active", "Familien tok kontakt.");
        reopen.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await reopen.Content.ReadAsStringAsync()).ShouldContain("anonymised");

        // cases did its part in the sweep's transaction; the other four answer once they have done theirs.
        var status = await CaseClient.Read(officer, $"/api/cases/{caseId}/anonymisation");
        status.GetProperty("ground").GetString().ShouldBe("retention-expired");
        status.GetProperty("orderedBy").GetString().ShouldBe("retention");
        Services(status, "done").ShouldContain("cases");
        await Eventually.True(async () =>
        {
            status = await CaseClient.Read(officer, $"/api/cases/{caseId}/anonymisation");
            return Services(status, "due").Length == 0;
        }, what: "every service to answer the anonymisation order");
        Services(status, "done").Order().ShouldBe(["benefits", "cases", "coordination", "grants", "outcomes"]);
    }

    [Fact]
    public async Task A_case_under_legal_hold_is_not_swept_and_is_after_the_hold_is_lifted()
    {
        using var kari = system.Client("oppvekst", "caseworker", "kari-hold");
        using var officer = system.Client("nav", "privacy-officer", "ombud-hold");
        var caseId = await CaseClient.Open(kari, "Familien Hold");
        (await CaseClient.Move(kari, caseId, "closed", "Familien takket nei.")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await officer.PostAsJsonAsync($"/api/cases/{caseId}/legal-hold", new { reason = "" })).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await kari.PostAsJsonAsync($"/api/cases/{caseId}/legal-hold", new { reason = "Tvist." })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await officer.PostAsJsonAsync($"/api/cases/{Guid.NewGuid()}/legal-hold", new { reason = "Tvist." })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await officer.PostAsJsonAsync($"/api/cases/{caseId}/legal-hold/lift", new { reason = "Ingen." })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await officer.PostAsJsonAsync($"/api/cases/{caseId}/legal-hold", new { reason = "Klagesak i tingretten." })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await officer.PostAsJsonAsync($"/api/cases/{caseId}/legal-hold", new { reason = "Igjen." })).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        (await Sweep(caseId, closedYearsAgo: 7)).ShouldNotContain(caseId);
        (await system.Database("cases").Scalar<bool>("SELECT anonymised_at IS NULL FROM cases.cases WHERE id = @c", ("c", caseId))).ShouldBeTrue();
        (await officer.PostAsJsonAsync($"/api/cases/{caseId}/erasure", new { reason = "Feil." })).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        (await officer.PostAsJsonAsync($"/api/cases/{caseId}/legal-hold/lift", new { reason = "Saken er rettskraftig avgjort." })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Sweep(caseId, closedYearsAgo: 7)).ShouldContain(caseId);
        (await officer.PostAsJsonAsync($"/api/cases/{caseId}/legal-hold", new { reason = "For sent." })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_privacy_officer_erases_a_closed_case_opened_by_mistake_with_a_reason()
    {
        using var kari = system.Client("oppvekst", "caseworker", "kari-feil");
        using var officer = system.Client("oppvekst", "privacy-officer", "ombud-feil");
        var caseId = await CaseClient.Open(kari, "Familien Feilregistrert");
        await CaseClient.AddAdult(kari, caseId, "Mona Feilregistrert");

        (await officer.PostAsJsonAsync($"/api/cases/{caseId}/erasure", new { reason = " " })).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await kari.PostAsJsonAsync($"/api/cases/{caseId}/erasure", new { reason = "Feil familie." })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await officer.PostAsJsonAsync($"/api/cases/{Guid.NewGuid()}/erasure", new { reason = "Feil familie." })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var open = await officer.PostAsJsonAsync($"/api/cases/{caseId}/erasure", new { reason = "Feil familie." });
        open.StatusCode.ShouldBe(HttpStatusCode.Conflict, "a case is closed before it is erased");
        (await CaseClient.Move(kari, caseId, "closed", "Opprettet ved en feil.")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var erased = await officer.PostAsJsonAsync($"/api/cases/{caseId}/erasure", new { reason = "Saken ble opprettet på feil familie." });
        erased.StatusCode.ShouldBe(HttpStatusCode.OK, await erased.Content.ReadAsStringAsync());
        var status = await erased.Content.ReadFromJsonAsync<JsonElement>();
        status.GetProperty("ground").GetString().ShouldBe("opened-by-mistake");
        status.GetProperty("orderedBy").GetString().ShouldBe("ombud-feil");
        Services(status, "done").ShouldContain("cases");
        (await system.Database("cases").Scalar<long>(
            "SELECT count(*) FROM cases.persons p JOIN cases.household_members m ON m.person_id = p.id JOIN cases.cases c ON c.household_id = m.household_id " +
            "WHERE c.id = @c AND (p.name <> 'anonymisert' OR p.identity_number_lookup IS NOT NULL)", ("c", caseId))).ShouldBe(0);
        (await officer.PostAsJsonAsync($"/api/cases/{caseId}/erasure", new { reason = "Igjen." })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await kari.PostAsJsonAsync($"/api/cases/{caseId}/needs", new { text = "Noe nytt." })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    private static string Token() => "Qz" + new string(Enumerable.Range(0, 8).Select(_ => (char)('a' + Random.Shared.Next(26))).ToArray());

    private static string[] Services(JsonElement status, string property) =>
        property == "done"
            ? [.. status.GetProperty("done").EnumerateArray().Select(a => a.GetProperty("service").GetString()!)]
            : [.. status.GetProperty("due").EnumerateArray().Select(s => s.GetString()!)];

    /// <summary>Sweeps with the service's own clock after moving this case's closing back in time. Only the test's own
    /// case is aged, so the other tests' closed cases in the shared databases stay as they are.</summary>
    private async Task<List<Guid>> Sweep(Guid caseId, int closedYearsAgo)
    {
        // An anonymised case cannot be changed, not even its closing time: a repeated sweep leaves it as it is.
        await system.Database("cases").Scalar<int>(
            "WITH aged AS (UPDATE cases.cases SET status_changed_at = now() - make_interval(years => @years) WHERE id = @c AND anonymised_at IS NULL RETURNING 1) SELECT count(*)::int FROM aged",
            ("c", caseId), ("years", closedYearsAgo));
        var sweep = ActivatorUtilities.CreateInstance<RetentionSweep>(system.Services("cases"));
        var swept = new List<Guid>();
        while ((await sweep.RunOnce(CancellationToken.None)) is { Count: > 0 } batch)
        {
            swept.AddRange(batch);
        }
        return swept;
    }

    /// <summary>Every text, varchar, jsonb, array and bytea column of every table in the cases database, searched for the values.</summary>
    private async Task<List<string>> Scan(string[] values, List<byte[]> hashes)
    {
        await using var connection = new NpgsqlConnection(system.Database("cases").ConnectionString);
        var columns = (await connection.QueryAsync<(string Schema, string Table, string Column, string Type)>(
            """
            SELECT c.table_schema, c.table_name, c.column_name, c.data_type FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
            WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema')
              AND c.data_type IN ('text', 'character varying', 'character', 'jsonb', 'json', 'bytea', 'ARRAY')
            """)).ToList();
        columns.ShouldContain(c => c.Table == "persons" && c.Column == "identity_number_lookup");
        var found = new List<string>();
        foreach (var (schema, table, column, type) in columns)
        {
            var name = $"\"{schema}\".\"{table}\".\"{column}\"";
            var from = $"\"{schema}\".\"{table}\"";
            if (type == "bytea")
            {
                foreach (var hash in hashes)
                {
                    if (await connection.ExecuteScalarAsync<bool>($"SELECT EXISTS (SELECT 1 FROM {from} WHERE position(@hash IN \"{column}\") > 0)", new { hash }))
                    {
                        found.Add($"{name}: a lookup hash");
                    }
                }
                continue;
            }
            foreach (var value in values)
            {
                if (await connection.ExecuteScalarAsync<bool>($"SELECT EXISTS (SELECT 1 FROM {from} WHERE \"{column}\"::text ILIKE @like)", new { like = $"%{value}%" }))
                {
                    found.Add($"{name}: {value}");
                }
            }
        }
        return found;
    }
}
