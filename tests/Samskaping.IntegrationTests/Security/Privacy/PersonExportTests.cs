using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Samskaping.Cases;
using Samskaping.IntegrationTests.Cases;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Security.Privacy;

/// <summary>
/// A person's export: the privacy officer gets everything about one person from all five services as one archive —
/// each part in its service's JSON, exceptions listed with their reason, a summary in bokmål — complete or not at all,
/// access-logged; a guardian's export has the children under 15 in their care, a youth from 15 has their own.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class PersonExportTests(SystemFixture system)
{
    private const string Officer = "privacy-officer";
    private static readonly string[] Files = ["cases.json", "coordination.json", "grants.json", "outcomes.json", "benefits.json", "sammendrag.html"];

    [Fact]
    public async Task A_guardians_export_holds_every_part_in_its_services_json_lists_what_is_held_back_and_is_access_logged()
    {
        var family = await ExportFamily.Seed(system);
        var officerName = "personvernombud-" + ExportFamily.Unique();
        using var officer = system.Client("helse-velferd", Officer, officerName);

        var archive = await Export(officer, family.Mother);

        archive.Keys.Order().ShouldBe(Files.Order());
        var whole = string.Concat(archive.Values);
        foreach (var service in SystemFixture.ServiceNames)
        {
            var part = Json(archive, service);
            part.GetProperty("service").GetString().ShouldBe(service);
            part.GetProperty("personId").GetGuid().ShouldBe(family.Mother);
            part.GetProperty("accessLog").GetArrayLength().ShouldBeGreaterThan(0, $"{service}'s access log about the family");
        }

        // cases: the mother and the 14-year-old in her care; the 16-year-old is held back, and so is what they said.
        var cases = Json(archive, "cases").GetProperty("data");
        var persons = cases.GetProperty("persons").EnumerateArray().ToList();
        persons.Select(p => (p.GetProperty("personId").GetGuid(), p.GetProperty("includedAs").GetString()))
            .ShouldBe([(family.Mother, "self"), (family.Child, "child-in-care")], ignoreOrder: true);
        persons.ShouldNotContain(p => p.EnumerateObject().Any(f => f.Name == "identityNumber"));
        persons.First(p => p.GetProperty("personId").GetGuid() == family.Mother).GetProperty("hasIdentityNumber").GetBoolean().ShouldBeTrue();
        Ids(cases, "cases").ShouldBe([family.CaseId]);
        Texts(cases, "needs").ShouldBe([ExportFamily.MotherNeed]);
        Texts(cases, "resources").ShouldBe([ExportFamily.Resource]);
        Texts(cases, "goals").ShouldBe([ExportFamily.Goal]);
        Ids(cases, "consents").ShouldBe([family.MotherConsent, family.ChildConsent], ignoreOrder: true);
        cases.GetProperty("statusChanges").GetArrayLength().ShouldBe(2);
        var casesHeld = HeldBack(archive, "cases");
        casesHeld.ShouldContain(h => h.Kind == "household-member" && h.Id == family.Youth);
        casesHeld.ShouldContain(h => h.Kind == "need" && h.Id == family.YouthNeed && h.CaseId == family.CaseId);
        whole.ShouldNotContain(ExportFamily.YouthNeedText);
        whole.ShouldNotContain(family.YouthName);

        // coordination: the ordinary entry; the professional-secrecy and restricted ones listed with their reason, never their text.
        var coordination = Json(archive, "coordination").GetProperty("data");
        Ids(coordination, "relayLog").ShouldContain(family.Relay["ordinary"]);
        Texts(coordination, "relayLog").ShouldContain(ExportFamily.RelayText("ordinary"));
        coordination.GetProperty("groups").GetArrayLength().ShouldBe(1);
        coordination.GetProperty("leadCoordinators").GetArrayLength().ShouldBeGreaterThan(0);
        var held = HeldBack(archive, "coordination");
        foreach (var secret in new[] { "professional-secrecy", "restricted" })
        {
            var entry = held.Where(h => h.Id == family.Relay[secret]).ShouldHaveSingleItem();
            entry.Kind.ShouldBe("relay-log-entry");
            entry.Reason.ShouldContain(secret == "restricted" ? "tredjepersoner" : "taushetsplikt");
            Ids(coordination, "relayLog").ShouldNotContain(family.Relay[secret]);
            whole.ShouldNotContain(ExportFamily.RelayText(secret));
        }

        // grants: the grant, its decision and its paid payment.
        var grants = Json(archive, "grants").GetProperty("data");
        var grant = grants.GetProperty("grants").EnumerateArray().ShouldHaveSingleItem();
        grant.GetProperty("id").GetGuid().ShouldBe(family.Grant);
        grant.GetProperty("purpose").GetString().ShouldBe(ExportFamily.GrantPurpose);
        grant.GetProperty("status").GetString().ShouldBe("approved");
        grants.GetProperty("decisions").EnumerateArray().ShouldHaveSingleItem().GetProperty("outcome").GetString().ShouldBe("innvilget");
        var payment = grants.GetProperty("payments").EnumerateArray().ShouldHaveSingleItem();
        (payment.GetProperty("id").GetGuid(), payment.GetProperty("status").GetString(), payment.GetProperty("paymentReference").GetString())
            .ShouldBe((family.Disbursement, "paid", family.PaymentReference));

        // outcomes: the mother's and the child's answers with their scores, not the youth's.
        var responses = Json(archive, "outcomes").GetProperty("data").GetProperty("responses").EnumerateArray().ToList();
        responses.Select(r => r.GetProperty("personId").GetGuid()).ShouldBe([family.Mother, family.Child], ignoreOrder: true);
        var mothers = responses.First(r => r.GetProperty("personId").GetGuid() == family.Mother);
        var answer = mothers.GetProperty("answers").EnumerateArray().ShouldHaveSingleItem();
        (answer.GetProperty("itemId").GetString(), answer.GetProperty("value").GetInt32()).ShouldBe(("life-satisfaction", 7));
        answer.GetProperty("question").GetString().ShouldNotBeNullOrWhiteSpace();
        mothers.GetProperty("scores").GetArrayLength().ShouldBeGreaterThan(0);

        // benefits: the Digisos document delivered for the case.
        var document = Json(archive, "benefits").GetProperty("data").GetProperty("digisosDocuments").EnumerateArray().ShouldHaveSingleItem();
        document.GetProperty("caseId").GetGuid().ShouldBe(family.CaseId);
        document.GetProperty("sent").GetBoolean().ShouldBeTrue();
        document.GetProperty("digisosId").GetString().ShouldNotBeNullOrWhiteSpace();
        // Every version the benefit system received, as it was sent: the delivered one among them.
        var sent = Json(archive, "benefits").GetProperty("data").GetProperty("sentDocuments").EnumerateArray().ToList();
        sent.ShouldNotBeEmpty();
        sent.ShouldAllBe(d => d.GetProperty("caseId").GetGuid() == family.CaseId);
        var delivered = sent.Where(d => d.GetProperty("version").GetInt32() == document.GetProperty("deliveredVersion").GetInt32()).ShouldHaveSingleItem();
        delivered.GetProperty("digisosId").GetString().ShouldBe(document.GetProperty("digisosId").GetString());
        delivered.GetProperty("document").ToString().ShouldBe(document.GetProperty("document").ToString());

        // The person's access history is in it: the caseworker's reads and writes in every service.
        Json(archive, "cases").GetProperty("accessLog").EnumerateArray()
            .ShouldContain(e => e.GetProperty("subject").GetString() == family.Worker && e.GetProperty("purpose").GetString() == "add household member");

        // No identity number anywhere.
        whole.ShouldNotContain(family.MotherNumber);

        // The summary: bokmål, the person's and the child's names, what is held back and why.
        var html = archive["sammendrag.html"];
        html.ShouldContain("<html lang=\"nb\">");
        html.ShouldContain("Dette har kommunen lagret om " + family.MotherName);
        html.ShouldContain(family.ChildName);
        html.ShouldContain("Opplysninger som er holdt tilbake");
        html.ShouldContain("taushetsplikt");
        html.ShouldContain("Hvem har sett eller endret opplysningene");
        html.ShouldContain(WebUtility.HtmlEncode(ExportFamily.MotherNeed));

        // The export is itself in the access log: a read of each person in it, with its purpose, by the officer.
        foreach (var person in new[] { family.Mother, family.Child })
        {
            (await system.Database("cases").Scalar<long>(
                "SELECT count(*) FROM access.access_log WHERE person_id = @p AND subject = @s AND role = @r AND action = 'read' AND purpose = 'person-export'",
                ("p", person), ("s", officerName), ("r", Officer))).ShouldBe(1);
        }
        var history = await officer.GetFromJsonAsync<JsonElement>($"/api/cases/persons/{family.Mother}/access-log?limit=5");
        history.GetProperty("entries").EnumerateArray().ShouldContain(e => e.GetProperty("purpose").GetString() == "person-export"
            && e.GetProperty("subject").GetString() == officerName);
    }

    [Fact]
    public async Task Corrections_are_in_it_with_the_value_before_except_those_of_what_is_held_back()
    {
        var family = await ExportFamily.Seed(system);
        using var kari = system.Client("oppvekst", "caseworker", family.Worker);
        using var officer = system.Client("helse-velferd", Officer, "personvernombud-" + ExportFamily.Unique());
        var resource = Ids(Json(await Export(officer, family.Mother), "cases").GetProperty("data"), "resources").ShouldHaveSingleItem();
        var newName = "Mona Rettet " + ExportFamily.Unique();
        var correctedResource = "Bestemor og morfar bor i nærheten.";
        var correctedYouthNeed = "Jeg vil ha en egen hybel.";
        foreach (var (path, body) in new (string, object)[]
        {
            ($"/api/cases/{family.CaseId}/members/{family.Mother}/corrections", new { name = newName, reason = "Skrevet feil ved registrering." }),
            ($"/api/cases/{family.CaseId}/resources/{resource}/corrections", new { text = correctedResource, reason = "Mor ba om det." }),
            ($"/api/cases/{family.CaseId}/needs/{family.YouthNeed}/corrections", new { text = correctedYouthNeed, reason = "Jonas ba om det." }),
        })
        {
            var response = await kari.PostAsJsonAsync(path, body);
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        }

        var archive = await Export(officer, family.Mother);
        var corrections = Json(archive, "cases").GetProperty("data").GetProperty("corrections").EnumerateArray()
            .ToDictionary(c => c.GetProperty("field").GetString()!);
        corrections.Keys.ShouldBe(["member-name", "resource-text"], ignoreOrder: true);
        corrections["member-name"].GetProperty("previousValue").GetString().ShouldBe(family.MotherName);
        corrections["member-name"].GetProperty("newValue").GetString().ShouldBe(newName);
        corrections["member-name"].GetProperty("reason").GetString().ShouldBe("Skrevet feil ved registrering.");
        corrections["resource-text"].GetProperty("previousValue").GetString().ShouldBe(ExportFamily.Resource);
        var whole = string.Concat(archive.Values);
        whole.ShouldNotContain(correctedYouthNeed); // the youth's own words, corrected or not, are theirs
        whole.ShouldNotContain(ExportFamily.YouthNeedText);
        archive["sammendrag.html"].ShouldContain("<h3>Rettinger</h3>");
        archive["sammendrag.html"].ShouldContain(WebUtility.HtmlEncode(family.MotherName));
    }

    [Fact]
    public async Task A_youth_from_15_has_their_own_export_without_the_guardian_or_the_child()
    {
        var family = await ExportFamily.Seed(system);
        using var officer = system.Client("oppvekst", Officer);

        var archive = await Export(officer, family.Youth);

        var cases = Json(archive, "cases").GetProperty("data");
        cases.GetProperty("persons").EnumerateArray().Select(p => (p.GetProperty("personId").GetGuid(), p.GetProperty("includedAs").GetString()))
            .ShouldBe([(family.Youth, "self")]);
        Ids(cases, "consents").ShouldBe([family.YouthConsent]);
        Texts(cases, "needs").ShouldContain(ExportFamily.YouthNeedText);
        HeldBack(archive, "cases").Where(h => h.Kind == "household-member").Select(h => h.Id).ShouldBe([family.Mother, family.Child], ignoreOrder: true);
        Json(archive, "outcomes").GetProperty("data").GetProperty("responses").EnumerateArray()
            .Select(r => r.GetProperty("personId").GetGuid()).ShouldBe([family.Youth]);
        archive["sammendrag.html"].ShouldContain("Ingen barn under 15 år er tatt med.");
    }

    [Fact]
    public async Task Only_the_privacy_officer_gets_it_as_the_access_history_refuses_and_an_unknown_person_is_404()
    {
        using var worker = system.Client("oppvekst", "caseworker");
        var caseId = await CaseClient.Open(worker, "Familien Utenfor " + ExportFamily.Unique());
        var mother = await CaseClient.AddAdult(worker, caseId);
        foreach (var role in new[] { "caseworker", "coordinator", "grant-approver", "analyst", "admin" })
        {
            using var other = system.Client("oppvekst", role);
            var refused = await other.GetAsync(Path(mother));
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden, role);
            refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }
        using var anonymous = system.Anonymous();
        (await anonymous.GetAsync(Path(mother))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var officer = system.Client("oppvekst", Officer);
        var unknown = await officer.GetAsync(Path(Guid.NewGuid()));
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString().ShouldBe("Person not found.");
        (await officer.GetAsync("/api/cases/persons/not-a-guid/export")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_services_parts_are_for_service_tokens_only_checked_and_not_routed_by_the_gateway()
    {
        foreach (var service in SystemFixture.ServiceNames)
        {
            using var direct = new HttpClient { BaseAddress = system.Address(service) };
            var body = new { personId = Guid.NewGuid(), caseIds = Array.Empty<Guid>() };
            var path = $"/internal/{service}/person-export";
            (await direct.PostAsJsonAsync(path, body)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, service);
            direct.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For("oppvekst", Officer));
            (await direct.PostAsJsonAsync(path, body)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, service);
            direct.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For("", "service", subject: "service:cases"));
            var empty = await direct.PostAsJsonAsync(path, body);
            empty.StatusCode.ShouldBe(HttpStatusCode.OK, service);
            (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("service").GetString().ShouldBe(service);
            var invalid = await direct.PostAsJsonAsync(path, new { caseIds = Array.Empty<Guid>() });
            invalid.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, service);
            (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("personId", out _).ShouldBeTrue(service);
            (await direct.PostAsync(path, new StringContent("{", Encoding.UTF8, "application/json"))).StatusCode.ShouldBe(HttpStatusCode.BadRequest, service);

            using var throughGateway = system.Client("oppvekst", Officer);
            (await throughGateway.PostAsJsonAsync(path, body)).StatusCode.ShouldBe(HttpStatusCode.NotFound, service);
        }
    }

    [Fact]
    public async Task A_service_that_cannot_answer_makes_the_export_a_503_naming_it_never_a_shorter_export()
    {
        // A cases process of its own whose grants source points at a port nobody listens on.
        await using var database = await TestDatabase.Create("cases_export");
        await using var vhost = await TestVirtualHost.Create("export");
        var sources = SystemFixture.ServiceNames.Where(s => s != "cases").ToDictionary(s => s, system.Address);
        sources["grants"] = new Uri($"http://127.0.0.1:{SystemFixture.FreePort()}");
        var settings = TestEnvironment.ProcessSettings();
        foreach (var (key, value) in SystemFixture.AccessLogSources(sources))
        {
            settings[key] = value;
        }
        settings["Cases:AccessLogSources:grants:TimeoutSeconds"] = "2";
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
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("detail").GetString()!.ShouldContain("grants");
        problem.GetProperty("unavailable").EnumerateArray().Select(s => s.GetString()).ShouldBe(["grants"]);
        // Nothing was handed out, so nothing was logged as read.
        (await database.Scalar<long>("SELECT count(*) FROM access.access_log WHERE purpose = 'person-export'")).ShouldBe(0);
    }

    internal sealed record Held(string Kind, Guid Id, Guid? CaseId, DateTimeOffset At, string Reason);

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static string Path(Guid personId) => $"/api/cases/persons/{personId}/export";

    private static async Task<Dictionary<string, string>> Export(HttpClient officer, Guid personId)
    {
        var response = await officer.GetAsync(Path(personId));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/zip");
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync(), ZipArchiveMode.Read);
        var files = new Dictionary<string, string>();
        foreach (var entry in zip.Entries)
        {
            using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
            files[entry.FullName] = await reader.ReadToEndAsync();
        }
        return files;
    }

    private static JsonElement Json(Dictionary<string, string> archive, string service) =>
        JsonDocument.Parse(archive[$"{service}.json"]).RootElement;

    private static List<Held> HeldBack(Dictionary<string, string> archive, string service) =>
        Json(archive, service).GetProperty("heldBack").Deserialize<List<Held>>(Web)!;

    private static List<Guid> Ids(JsonElement data, string collection) =>
        [.. data.GetProperty(collection).EnumerateArray().Select(e => e.GetProperty("id").GetGuid())];

    private static List<string> Texts(JsonElement data, string collection) =>
        [.. data.GetProperty(collection).EnumerateArray().Select(e => e.GetProperty("text").GetString()!)];
}
