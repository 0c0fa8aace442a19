using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using Samskaping.Cases.Cases;
using Samskaping.Contracts;
using Samskaping.Contracts.Cases;
using Samskaping.IntegrationTests.EndToEnd;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Cases;

/// <summary>The work list: my cases, my sector's, by status, by name (æøå-aware), paged with a stable order.</summary>
[Collection(SystemCollection.Name)]
public sealed class WorkListTests(SystemFixture system)
{
    [Fact]
    public async Task Names_are_found_case_insensitively_with_norwegian_letters()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        using var kari = system.Client("frivillighet", "caseworker", subject: $"kari-{tag}");
        var aerlig = await CaseClient.Open(kari, $"Familien Ærlig {tag}");
        var ost = await CaseClient.Open(kari, $"Familien Østby {tag}");
        var other = await CaseClient.Open(kari, $"Familien Nord {tag}");
        await CaseClient.AddMember(kari, other, $"Åse Nord {tag}", "parent", new DateOnly(1980, 1, 1));

        (await Ids(kari, $"q=ærlig {tag}")).ShouldBe([aerlig]);
        (await Ids(kari, $"q=ÆRLIG {tag}")).ShouldBe([aerlig]);
        (await Ids(kari, $"q=familien øST")).ShouldContain(ost);
        (await Ids(kari, $"q=åse nord {tag}")).ShouldBe([other], "found by a member's name");
        (await Ids(kari, $"q=ÅSE")).ShouldContain(other);
        (await Ids(kari, $"q=%25{tag}")).ShouldBeEmpty("LIKE wildcards are literal");
        // Shorter than a trigram: searched newest first instead of through the names' index, with the same answer.
        (await Ids(kari, "q=øs")).ShouldContain(ost);
        (await Ids(kari, "q=ÅS")).ShouldContain(other);
    }

    [Fact]
    public async Task Mine_is_the_cases_i_opened_and_narrows_with_a_search()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        using var kari = system.Client("kultur", "caseworker", subject: $"kari-{tag}");
        using var kim = system.Client("kultur", "caseworker", subject: $"kim-{tag}");
        var karis = await CaseClient.Open(kari, $"Familien Eldre {tag}");
        var kims = await CaseClient.Open(kim, $"Familien Nyere {tag}");
        (await Ids(kari, "scope=mine")).ShouldContain(karis);
        (await Ids(kari, "scope=mine")).ShouldNotContain(kims);
        (await Ids(kim, $"scope=mine&q=familien nyere {tag}")).ShouldBe([kims]);
        (await Ids(kim, $"scope=mine&q=familien eldre {tag}")).ShouldBeEmpty("mine and a search narrow together");
    }

    [Fact]
    public async Task Mine_sector_and_status_narrow_the_list()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        using var kari = system.Client("kultur", "caseworker", subject: $"kari-{tag}");
        using var kim = system.Client("kultur", "caseworker", subject: $"kim-{tag}");
        var karis = await CaseClient.Open(kari, $"Familien A {tag}");
        var kims = await CaseClient.Open(kim, $"Familien B {tag}");
        (await CaseClient.Move(kim, kims, "intake")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await Ids(kari, $"scope=mine&q={tag}")).ShouldBe([karis]);
        (await Ids(kari, $"scope=sector&q={tag}")).ShouldBe([kims, karis]);
        (await Ids(kari, $"status=intake&q={tag}")).ShouldBe([kims]);
        (await Ids(kari, $"status=referred&q={tag}")).ShouldBe([karis]);
    }

    [Fact]
    public async Task Pages_follow_each_other_without_repeats_or_gaps_even_when_cases_are_added_meanwhile()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        using var kari = system.Client("nav", "caseworker", subject: $"kari-{tag}");
        var opened = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            opened.Add(await CaseClient.Open(kari, $"Familien Side {i} {tag}"));
        }

        var seen = new List<Guid>();
        var page = await CaseClient.Read(kari, $"/api/cases?q={tag}&limit=3");
        seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        await CaseClient.Open(kari, $"Familien Ny {tag}"); // newer than every page: must not push rows between pages
        while (page.GetProperty("nextCursor").GetString() is { } cursor)
        {
            page = await CaseClient.Read(kari, $"/api/cases?q={tag}&limit=3&cursor={cursor}");
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        }

        seen.ShouldBe(Enumerable.Reverse(opened));
    }

    [Fact]
    public async Task Mine_is_planned_from_the_workers_own_cases_not_by_walking_every_case_newest_first()
    {
        // Twenty thousand cases of other workers, in a transaction that is rolled back (the rows and their statistics),
        // and the statement as a prepared statement's generic plan would run it: the plan that once walked every case.
        await using var connection = new NpgsqlConnection(system.Database("cases").ConnectionString);
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using (var fill = new NpgsqlCommand(
            """
            INSERT INTO cases.households (id, name, name_search, created_by, created_at)
            SELECT md5('plan' || n)::uuid, 'Familien ' || n, 'familien ' || n, 'other-' || (n % 50), now() - n * interval '1 minute'
            FROM generate_series(1, 20000) n;
            INSERT INTO cases.cases (id, household_id, household_name, status, opened_by, opened_by_sector, opened_at)
            SELECT md5('plan' || n)::uuid, md5('plan' || n)::uuid, 'Familien ' || n, 'active', 'other-' || (n % 50), 'oppvekst',
                   now() - n * interval '1 minute'
            FROM generate_series(1, 20000) n;
            ANALYZE cases.cases; ANALYZE cases.households;
            SET LOCAL plan_cache_mode = force_generic_plan;
            """, connection, tx))
        {
            await fill.ExecuteNonQueryAsync();
        }
        // A named statement with $n for each @name, as Npgsql sends it, and its generic plan.
        var names = new List<string>();
        var sql = Regex.Replace(CaseStore.ListSql(new WorkListQuery(WorkListQuery.Mine, null, null, 20, null)), @"@([A-Za-z]\w*)", m =>
        {
            if (!names.Contains(m.Groups[1].Value))
            {
                names.Add(m.Groups[1].Value);
            }
            return "$" + (names.IndexOf(m.Groups[1].Value) + 1);
        });
        // Each parameter's type as Npgsql sends it, and the value the list would bind.
        var parameters = new Dictionary<string, (string Type, string Value)>
        {
            ["accessSector"] = ("text", $"'{Sectors.Oppvekst}'"), ["accessSubject"] = ("text", "'plan-worker'"),
            ["accessPurpose"] = ("text", $"'{ConsentPurposes.Coordination}'"), ["accessNow"] = ("timestamptz", "now()"),
            ["sector"] = ("boolean", "false"), ["take"] = ("integer", "21"), ["status"] = ("text", "NULL"),
            ["pattern"] = ("text", "NULL"), ["afterAt"] = ("timestamptz", "NULL"), ["afterId"] = ("uuid", "NULL"),
        };
        await using (var prepare = new NpgsqlCommand(
            $"PREPARE work_list ({string.Join(", ", names.Select(n => parameters[n].Type))}) AS {sql}", connection, tx))
        {
            await prepare.ExecuteNonQueryAsync();
        }
        await using var explain = new NpgsqlCommand($"EXPLAIN EXECUTE work_list({string.Join(", ", names.Select(n => parameters[n].Value))})", connection, tx);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }
        await tx.RollbackAsync();

        var text = string.Join("\n", plan);
        text.ShouldContain("CTE Scan on mine", Shouldly.Case.Sensitive, text);
        text.ShouldNotContain("using cases_opened on cases sak", Shouldly.Case.Sensitive, "the list must start from the worker's cases:\n" + text);
    }

    // A page size that is not a number or a cursor this list did not hand out cannot be read (400); a value that was
    // read but is not one of the allowed ones is 422.
    [Theory]
    [InlineData("scope=everything", "scope", HttpStatusCode.UnprocessableEntity)]
    [InlineData("status=open", "status", HttpStatusCode.UnprocessableEntity)]
    [InlineData("status=Active", "status", HttpStatusCode.UnprocessableEntity)]
    [InlineData("limit=-1", "limit", HttpStatusCode.BadRequest)]
    [InlineData("limit=1000", "limit", HttpStatusCode.UnprocessableEntity)]
    [InlineData("cursor=not-a-cursor", "cursor", HttpStatusCode.BadRequest)]
    [InlineData("cursor=MTIzNA", "cursor", HttpStatusCode.BadRequest)]
    public async Task Bad_list_parameters_are_refused_naming_them(string query, string field, HttpStatusCode status)
    {
        using var kari = system.Client("oppvekst", "caseworker");

        var response = await kari.GetAsync($"/api/cases?{query}");

        response.StatusCode.ShouldBe(status);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Fact]
    public async Task A_search_longer_than_allowed_is_422()
    {
        using var kari = system.Client("oppvekst", "caseworker");

        (await kari.GetAsync($"/api/cases?q={new string('a', 201)}")).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
    }

    private static async Task<List<Guid>> Ids(HttpClient client, string query) =>
        [.. (await CaseClient.Read(client, $"/api/cases?{query}&limit=100")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid())];
}
