using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Samskaping.Cases;
using Samskaping.IntegrationTests.Cases;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Security.AccessLog;

/// <summary>
/// Issue 9, point 2: every service logs who touched a person's data, the log cannot be changed, and the privacy
/// officer reads one person's history from all five services at once through the gateway — complete or not at all.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class AccessLogAcrossServicesTests(SystemFixture system)
{
    private const string Officer = "privacy-officer";

    [Fact]
    public async Task A_persons_history_shows_every_services_reads_and_writes_with_who_what_why_and_the_trace()
    {
        var scenario = await TouchOnePersonInEveryService();

        using var officer = system.Client("helse-velferd", Officer, "personvernombud-" + Unique());
        var history = await History(officer, scenario.Mother, limit: 200);
        var entries = Entries(history);

        entries.Select(e => e.Service).Distinct().Order().ShouldBe(SystemFixture.ServiceNames.Order());
        var byKari = entries.Where(e => e.Subject == scenario.Kari).ToList();
        byKari.ShouldAllBe(e => e.Role == "caseworker" && e.Sector == "oppvekst");
        byKari.ShouldAllBe(e => e.CorrelationId != null && e.CorrelationId.Length == 32);
        byKari.ShouldAllBe(e => !string.IsNullOrWhiteSpace(e.Purpose));

        // The read of the case with our own trace: the case itself and the person, with the request's trace id.
        var caseRead = byKari.Where(e => e.Service == "cases" && e.Action == "read" && e.Purpose == "read case" && e.CorrelationId == scenario.ReadTrace).ToList();
        caseRead.ShouldContain(e => e.CaseId == scenario.CaseId && e.PersonId == null);
        caseRead.ShouldContain(e => e.CaseId == scenario.CaseId && e.PersonId == scenario.Mother);
        byKari.ShouldContain(e => e.Service == "cases" && e.Action == "create" && e.Purpose == "add household member" && e.PersonId == scenario.Mother);
        byKari.ShouldContain(e => e.Service == "cases" && e.Action == "list" && e.Purpose == "work list search" && e.CaseId == scenario.CaseId
            && e.CorrelationId == scenario.SearchTrace);
        byKari.ShouldContain(e => e.Service == "coordination" && e.Action == "read" && e.Purpose == "read coordination group" && e.CaseId == scenario.CaseId);
        byKari.ShouldContain(e => e.Service == "grants" && e.Action == "create" && e.Purpose == "request grant" && e.CaseId == scenario.CaseId);
        byKari.ShouldContain(e => e.Service == "outcomes" && e.Action == "create" && e.Purpose == "record outcome response"
            && e.PersonId == scenario.Mother && e.CaseId == scenario.CaseId);
        byKari.ShouldContain(e => e.Service == "outcomes" && e.Action == "read" && e.Purpose == "read outcome responses" && e.PersonId == scenario.Mother);
        byKari.ShouldContain(e => e.Service == "benefits" && e.Action == "read" && e.Purpose == "benefit look-up"
            && e.PersonId == scenario.Mother && e.CorrelationId == scenario.LookupTrace);
        // Benefits' look-up read the identity number from cases: cases logged that read by the benefits service, in the same trace.
        entries.ShouldContain(e => e.Service == "cases" && e.Subject == "service:benefits" && e.Role == "service" && e.PersonId == scenario.Mother
            && e.Purpose == "benefit look-up" && e.CorrelationId == scenario.LookupTrace);
        // The other member's own reads are hers, not the mother's.
        entries.ShouldNotContain(e => e.PersonId == scenario.Child);

        // Newest first, and never an identity number in the answer.
        entries.ShouldBe(entries.OrderByDescending(e => e.At).ThenByDescending(e => e.Id.ToString("N"), StringComparer.Ordinal).ToList());
        var raw = history.GetRawText();
        raw.ShouldNotContain(scenario.MotherNumber);
        raw.ShouldNotContain(scenario.ChildNumber);
    }

    [Fact]
    public async Task A_read_refused_as_not_found_shows_in_the_persons_history_and_tells_the_caller_nothing()
    {
        var scenario = await OnePerson();
        using var kari = system.Client("oppvekst", "caseworker", scenario.Kari);
        await SliceTests.EventuallyOk(kari, $"/api/coordination/cases/{scenario.CaseId}");
        var stranger = "nysgjerrig-" + Unique();
        using var outside = system.Client("kultur", "caseworker", stranger);
        var missing = Guid.CreateVersion7();

        var hidden = await outside.GetAsync($"/api/cases/{scenario.CaseId}");
        var absent = await outside.GetAsync($"/api/cases/{missing}");
        var hiddenGroup = await outside.GetAsync($"/api/coordination/cases/{scenario.CaseId}");

        hidden.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        absent.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        hiddenGroup.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var hiddenProblem = await hidden.Content.ReadFromJsonAsync<JsonElement>();
        var absentProblem = await absent.Content.ReadFromJsonAsync<JsonElement>();
        hiddenProblem.GetProperty("title").GetString().ShouldBe(absentProblem.GetProperty("title").GetString());
        hiddenProblem.GetProperty("detail").GetString()!.Replace(scenario.CaseId.ToString(), "ID", StringComparison.Ordinal)
            .ShouldBe(absentProblem.GetProperty("detail").GetString()!.Replace(missing.ToString(), "ID", StringComparison.Ordinal));

        using var officer = system.Client("oppvekst", Officer, "personvernombud-" + Unique());
        var refused = Entries(await History(officer, scenario.Mother, limit: 200)).Where(e => e.Subject == stranger).ToList();
        refused.ShouldContain(e => e.Service == "cases" && e.Action == "refused" && e.CaseId == scenario.CaseId && e.Sector == "kultur"
            && e.Purpose == "not found or not shared: GetCase");
        refused.ShouldContain(e => e.Service == "coordination" && e.Action == "refused" && e.CaseId == scenario.CaseId);
        refused.ShouldNotContain(e => e.CaseId == missing);
        // The missing case was recorded all the same (the same work as for the hidden one), under no one's history.
        (await system.Database("cases").Scalar<long>(
            "SELECT count(*) FROM access.access_log WHERE subject = @s AND action = 'refused' AND case_id = @c", ("s", stranger), ("c", missing))).ShouldBe(1);
    }

    [Fact]
    public async Task Paging_through_the_history_gives_every_entry_once_and_each_read_is_logged_and_shows_in_the_next()
    {
        var scenario = await TouchOnePersonInEveryService();
        using var officer = system.Client("kultur", Officer, "personvernombud-" + Unique());

        var paged = new List<Entry>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await History(officer, scenario.Mother, limit: 3, cursor: cursor);
            var entries = Entries(page);
            entries.Count.ShouldBeLessThanOrEqualTo(3);
            paged.AddRange(entries);
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 100);

        cursor.ShouldBeNull();
        pages.ShouldBeGreaterThan(3);
        paged.Select(e => (e.Service, e.Id)).ShouldBeUnique();

        // A whole read afterwards: the reads of the paging came after, everything else is exactly what the pages gave.
        var all = Entries(await History(officer, scenario.Mother, limit: 200));
        var newer = all.Take(all.Count - paged.Count).ToList();
        all.Skip(newer.Count).Select(e => (e.Service, e.Id)).ShouldBe(paged.Select(e => (e.Service, e.Id)));
        newer.Count.ShouldBe(pages);
        newer.ShouldAllBe(e => e.Service == "cases" && e.Action == "read-access-log" && e.Purpose == "privacy-review"
            && e.Role == Officer && e.Sector == "kultur" && e.PersonId == scenario.Mother && e.CorrelationId != null);

        // And the whole read itself shows at the top of the next one.
        var next = Entries(await History(officer, scenario.Mother, limit: 1));
        next.ShouldHaveSingleItem().Action.ShouldBe("read-access-log");
        next[0].At.ShouldBeGreaterThan(all[0].At);
    }

    [Fact]
    public async Task A_list_result_logs_each_case_it_shows()
    {
        using var kari = system.Client("oppvekst", "caseworker", "kari-list-" + Unique());
        var household = "Familien Liste " + Unique();
        var first = await CaseClient.Open(kari, household);
        var second = await CaseClient.Open(kari, household);

        var trace = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/cases?q={Uri.EscapeDataString(household)}");
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await kari.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var listed = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("id").GetGuid()).ToList();
        listed.ShouldBe([second, first], ignoreOrder: true);

        foreach (var caseId in listed)
        {
            (await system.Database("cases").Scalar<long>(
                "SELECT count(*) FROM access.access_log WHERE case_id = @c AND action = 'list' AND purpose = 'work list search' AND correlation_id = @t",
                ("c", caseId), ("t", trace))).ShouldBe(1);
        }
        (await system.Database("cases").Scalar<long>(
            "SELECT count(*) FROM access.access_log WHERE correlation_id = @t", ("t", trace))).ShouldBe(2);
    }

    [Fact]
    public async Task Only_the_privacy_officer_reads_it_an_unknown_person_is_404_and_bad_paging_is_refused()
    {
        var scenario = await OnePerson();
        foreach (var role in new[] { "caseworker", "coordinator", "grant-approver", "analyst", "admin" })
        {
            using var other = system.Client("oppvekst", role);
            var refused = await other.GetAsync(Path(scenario.Mother));
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden, role);
            refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }
        using var anonymous = system.Anonymous();
        (await anonymous.GetAsync(Path(scenario.Mother))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var officer = system.Client("oppvekst", Officer);
        var unknown = await officer.GetAsync(Path(Guid.NewGuid()));
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString().ShouldBe("Person not found.");

        foreach (var (query, field, status) in new[]
        {
            ("limit=0", "limit", HttpStatusCode.UnprocessableEntity), ("limit=201", "limit", HttpStatusCode.UnprocessableEntity),
            ("limit=x", "limit", HttpStatusCode.BadRequest), ("cursor=not-a-cursor", "cursor", HttpStatusCode.BadRequest),
        })
        {
            var bad = await officer.GetAsync(Path(scenario.Mother) + "?" + query);
            bad.StatusCode.ShouldBe(status, query);
            (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(query);
        }
        // The privacy officer sees no case content.
        (await officer.GetAsync($"/api/cases/{scenario.CaseId}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_services_access_logs_are_for_service_tokens_only_and_not_routed_by_the_gateway()
    {
        foreach (var service in SystemFixture.ServiceNames)
        {
            using var direct = new HttpClient { BaseAddress = system.Address(service) };
            var body = new { personId = Guid.NewGuid(), caseIds = Array.Empty<Guid>() };
            (await direct.PostAsJsonAsync($"/internal/{service}/access-log/query", body)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, service);
            direct.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For("oppvekst", Officer));
            (await direct.PostAsJsonAsync($"/internal/{service}/access-log/query", body)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, service);
            direct.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For("", "service", subject: "service:cases"));
            (await direct.PostAsJsonAsync($"/internal/{service}/access-log/query", body)).StatusCode.ShouldBe(HttpStatusCode.OK, service);
            var invalid = await direct.PostAsJsonAsync($"/internal/{service}/access-log/query", new { limit = 0 });
            invalid.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, service);
            var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            errors.TryGetProperty("personId", out _).ShouldBeTrue();
            errors.TryGetProperty("limit", out _).ShouldBeTrue();

            using var throughGateway = system.Client("oppvekst", Officer);
            (await throughGateway.PostAsJsonAsync($"/internal/{service}/access-log/query", body)).StatusCode.ShouldBe(HttpStatusCode.NotFound, service);
        }
    }

    [Fact]
    public async Task The_access_log_cannot_be_changed_or_deleted_in_any_service()
    {
        foreach (var service in SystemFixture.ServiceNames)
        {
            var database = system.Database(service);
            var before = await database.Scalar<long>("SELECT count(*) FROM access.access_log");
            foreach (var sql in new[]
            {
                "UPDATE access.access_log SET purpose = 'rewritten'",
                "DELETE FROM access.access_log",
                "TRUNCATE access.access_log",
            })
            {
                var refused = await Should.ThrowAsync<PostgresException>(() => database.Scalar<object>(sql), $"{service}: {sql}");
                refused.MessageText.ShouldContain("append-only");
            }
            (await database.Scalar<long>("SELECT count(*) FROM access.access_log")).ShouldBeGreaterThanOrEqualTo(before);
            (await database.Scalar<long>("SELECT count(*) FROM access.access_log WHERE purpose = 'rewritten'")).ShouldBe(0);
        }
    }

    [Fact]
    public async Task A_source_that_is_not_running_makes_the_history_a_503_naming_it_never_a_shorter_history()
    {
        // A cases process of its own (own database and virtual host) whose outcomes source points at a port nobody
        // listens on; the other sources are the running system's.
        await using var database = await TestDatabase.Create("cases_sources");
        await using var vhost = await TestVirtualHost.Create("sources");
        var sources = SystemFixture.ServiceNames.Where(s => s != "cases").ToDictionary(s => s, system.Address);
        sources["outcomes"] = new Uri($"http://127.0.0.1:{SystemFixture.FreePort()}");
        var settings = TestEnvironment.ProcessSettings();
        foreach (var (key, value) in SystemFixture.AccessLogSources(sources))
        {
            settings[key] = value;
        }
        settings["Cases:AccessLogSources:outcomes:TimeoutSeconds"] = "2";
        settings["ConnectionStrings:Database"] = database.ConnectionString;
        settings["ConnectionStrings:RabbitMq"] = vhost.AmqpUri;
        settings["Cases:PersonalData:EncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        settings["Cases:PersonalData:LookupKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        using var cases = new ServiceFactory<CasesMarker>(settings);
        var address = cases.Start();
        using var kari = new HttpClient { BaseAddress = address };
        kari.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For("oppvekst", "caseworker"));
        var caseId = await CaseClient.Open(kari);
        var mother = await CaseClient.AddAdult(kari, caseId);
        using var officer = new HttpClient { BaseAddress = address };
        officer.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For("oppvekst", Officer));

        var response = await officer.GetAsync(Path(mother));

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("detail").GetString()!.ShouldContain("outcomes");
        problem.GetProperty("unavailable").EnumerateArray().Select(s => s.GetString()).ShouldBe(["outcomes"]);
        problem.TryGetProperty("entries", out _).ShouldBeFalse();
        // A failed read showed nothing, so it logged nothing.
        (await database.Scalar<long>("SELECT count(*) FROM access.access_log WHERE action = 'read-access-log'")).ShouldBe(0);
    }

    private sealed record Entry(string Service, Guid Id, DateTimeOffset At, string Subject, string Role, string Sector, Guid? CaseId, Guid? PersonId,
        string Action, string? Purpose, string? CorrelationId);

    private sealed record Scenario(Guid CaseId, Guid HouseholdId, Guid Mother, string MotherNumber, Guid Child, string ChildNumber, string Kari,
        string? ReadTrace = null, string? SearchTrace = null, string? LookupTrace = null);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static string Unique() => Guid.NewGuid().ToString("N")[..8];

    private static string Path(Guid personId) => $"/api/cases/persons/{personId}/access-log";

    private static List<Entry> Entries(JsonElement page) => page.GetProperty("entries").Deserialize<List<Entry>>(Json)!;

    private static async Task<JsonElement> History(HttpClient officer, Guid personId, int limit, string? cursor = null)
    {
        var response = await officer.GetAsync(Path(personId) + $"?limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>A case with a mother (identity number, consent for oppvekst) and a child, opened by a caseworker.</summary>
    private async Task<Scenario> OnePerson()
    {
        var kari = "kari-log-" + Unique();
        using var client = system.Client("oppvekst", "caseworker", kari);
        var opened = await client.PostAsJsonAsync("/api/cases", new { householdName = "Familien Logg " + Unique(), need = new { text = "Vi trenger hjelp med lekser." } });
        opened.StatusCode.ShouldBe(HttpStatusCode.Created, await opened.Content.ReadAsStringAsync());
        var body = await opened.Content.ReadFromJsonAsync<JsonElement>();
        var caseId = body.GetProperty("id").GetGuid();
        var motherNumber = IdentityNumbers.Adult();
        var childNumber = IdentityNumbers.Child();
        var mother = (await CaseClient.AddMember(client, caseId, "Mona Logg", "parent", identityNumber: motherNumber)).GetProperty("personId").GetGuid();
        var child = (await CaseClient.AddMember(client, caseId, "Sara Logg", "child", identityNumber: childNumber)).GetProperty("personId").GetGuid();
        return new Scenario(caseId, body.GetProperty("householdId").GetGuid(), mother, motherNumber, child, childNumber, kari);
    }

    /// <summary>One family, touched by one caseworker in all five services; the traces of three requests are our own.</summary>
    private async Task<Scenario> TouchOnePersonInEveryService()
    {
        var scenario = await OnePerson();
        using var kari = system.Client("oppvekst", "caseworker", scenario.Kari);
        await CaseClient.Consent(kari, scenario.CaseId, scenario.Mother, null, "oppvekst");
        (await CaseClient.Move(kari, scenario.CaseId, "intake")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await CaseClient.Move(kari, scenario.CaseId, "active", "Samtykke er gitt.")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // cases: a read of the case, and a search whose result lists it.
        var readTrace = await Traced(kari, $"/api/cases/{scenario.CaseId}");
        var searchTrace = await Traced(kari, "/api/cases?q=" + Uri.EscapeDataString("Mona Logg"));

        // coordination: the coordination group.
        await SliceTests.EventuallyOk(kari, $"/api/coordination/cases/{scenario.CaseId}");

        // grants: a request for the family.
        await SliceTests.EventuallyOk(kari, $"/api/grants/cases/{scenario.CaseId}");
        var fund = await CreateFund();
        var requested = await Post(kari, $"/api/grants/cases/{scenario.CaseId}/grants", new
        {
            fundId = fund,
            amount = 450m,
            purpose = "Fotballsko til Sara",
            category = "leisure",
            payee = new { kind = "family", name = "Familien Logg", accountNumber = "12345678903" },
        });
        requested.StatusCode.ShouldBe(HttpStatusCode.Created, await requested.Content.ReadAsStringAsync());

        // outcomes: the mother answers the baseline, and the worker reads the answers.
        var baseline = await SliceTests.EventuallyOk(kari, $"/api/outcomes/cases/{scenario.CaseId}/schedule",
            s => s.GetProperty("measurements").EnumerateArray().Any(m => m.GetProperty("kind").GetString() == "baseline"));
        var measurementId = baseline.GetProperty("measurements").EnumerateArray()
            .First(m => m.GetProperty("kind").GetString() == "baseline").GetProperty("id").GetGuid();
        var answered = await Eventually.Get(
            () => kari.PostAsJsonAsync($"/api/outcomes/cases/{scenario.CaseId}/measurements/{measurementId}/responses", new
            {
                personId = scenario.Mother,
                respondent = "self",
                answers = new object[] { new { itemId = "life-satisfaction", value = 7 } },
            }),
            r => r.StatusCode != HttpStatusCode.UnprocessableEntity, // until outcomes has heard of the member
            what: "the response to be accepted");
        answered.StatusCode.ShouldBe(HttpStatusCode.Created, await answered.Content.ReadAsStringAsync());
        (await CaseClient.Read(kari, $"/api/outcomes/cases/{scenario.CaseId}/responses")).GetArrayLength().ShouldBe(1);

        // benefits: the household's current benefits, looked up in the NAV-style simulator.
        await Eventually.True(async () => await system.Database("benefits").Scalar<long>(
            "SELECT count(*) FROM benefits.cases WHERE case_id = @c AND household_id IS NOT NULL", ("c", scenario.CaseId)) == 1,
            what: "benefits to know the case's household");
        var lookupTrace = await Traced(kari, $"/api/benefits/households/{scenario.HouseholdId}/benefits");

        return scenario with { ReadTrace = readTrace, SearchTrace = searchTrace, LookupTrace = lookupTrace };
    }

    /// <summary>GET with a W3C traceparent of our own; answers its trace id, which the access log must carry.</summary>
    private static async Task<string> Traced(HttpClient client, string path)
    {
        var trace = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{path}: {await response.Content.ReadAsStringAsync()}");
        return trace;
    }

    private async Task<Guid> CreateFund()
    {
        using var approver = system.Client("oppvekst", "grant-approver", "fund-admin");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var response = await Post(approver, "/api/grants/funds", new
        {
            name = "Fond " + Unique(),
            owner = "oppvekst",
            periodStart = today.AddDays(-30),
            periodEnd = today.AddDays(330),
            budget = 10_000m,
            approvalThreshold = 5_000m,
            householdCap = 100_000m,
            lowBalanceThreshold = 0m,
            reportToBenefitSystem = false,
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<HttpResponseMessage> Post(HttpClient client, string path, object body)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        message.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return await client.SendAsync(message);
    }
}
