using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Samskaping.IntegrationTests.Cases;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Citizens;

/// <summary>
/// The family's own view through the gateway (docs/architecture.md §8): who sees which case by the relation
/// rule, 404 outside it, the citizen and staff policies kept apart, and every read logged as the person's own.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class CitizenAccessTests(SystemFixture system)
{
    [Fact]
    public async Task A_parent_sees_their_case_and_their_child_of_14s_but_not_the_youth_of_16s()
    {
        var f = await Families.Create(system);
        using var parent = Citizen(f.ParentNumber);

        var cases = await MyCases(parent);

        cases.Keys.ShouldBe([f.Other, f.Home], ignoreOrder: true);
        cases[f.Home].ShouldBe([("Per", "self"), ("Cecilie", "child")]);
        cases[f.Other].ShouldBe([("Cecilie", "child")]);
        (await parent.GetAsync($"/api/cases/citizen/cases/{f.Home}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await parent.GetAsync($"/api/cases/citizen/cases/{f.Youths}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // The other household is the child's, not the parent's: of its members the parent sees the child alone.
        var other = await Json(parent, $"/api/cases/citizen/cases/{f.Other}");
        other.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("name").GetString()).ShouldBe(["Cecilie Fjell"]);
        var home = await Json(parent, $"/api/cases/citizen/cases/{f.Home}");
        home.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("name").GetString()).ShouldBe(["Per Fjell", "Cecilie Fjell", "Ylva Fjell"]);
    }

    [Fact]
    public async Task A_youth_of_16_sees_only_their_own_and_a_child_of_14_sees_nothing()
    {
        var f = await Families.Create(system);
        using var youth = Citizen(f.YouthNumber);
        using var child = Citizen(f.ChildNumber);

        var cases = await MyCases(youth);

        cases.Keys.ShouldBe([f.Home, f.Youths], ignoreOrder: true);
        foreach (var whose in cases.Values)
        {
            whose.ShouldBe([("Ylva", "self")]);
        }
        (await youth.GetAsync($"/api/cases/citizen/cases/{f.Other}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await MyCases(child)).ShouldBeEmpty();
        (await child.GetAsync($"/api/cases/citizen/cases/{f.Home}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task No_citizen_reaches_another_households_case_or_its_access_log_and_the_refusal_is_a_missing_cases()
    {
        var f = await Families.Create(system);
        using var kari = system.Client("oppvekst", "caseworker", f.Kari);
        (await kari.GetAsync($"/api/cases/{f.Unrelated}")).EnsureSuccessStatusCode();
        var allowed = new Dictionary<string, Guid[]>
        {
            [f.ParentNumber] = [f.Home, f.Other],
            [f.OtherParentNumber] = [f.Other, f.Home],
            [f.YouthNumber] = [f.Home, f.Youths],
            [f.YouthsAdultNumber] = [f.Youths],
            [f.UnrelatedNumber] = [f.Unrelated],
        };
        Guid[] all = [f.Home, f.Other, f.Youths, f.Unrelated];

        foreach (var (number, theirs) in allowed)
        {
            using var citizen = Citizen(number);
            (await MyCases(citizen)).Keys.ShouldBe(theirs, ignoreOrder: true);
            foreach (var caseId in all)
            {
                using var overview = await citizen.GetAsync($"/api/cases/citizen/cases/{caseId}");
                overview.StatusCode.ShouldBe(theirs.Contains(caseId) ? HttpStatusCode.OK : HttpStatusCode.NotFound, $"case {caseId}");
                if (overview.StatusCode == HttpStatusCode.NotFound)
                {
                    var hidden = await overview.Content.ReadFromJsonAsync<JsonElement>();
                    var missingId = Guid.CreateVersion7();
                    using var absent = await citizen.GetAsync($"/api/cases/citizen/cases/{missingId}");
                    absent.StatusCode.ShouldBe(HttpStatusCode.NotFound);
                    var missing = await absent.Content.ReadFromJsonAsync<JsonElement>();
                    hidden.GetProperty("title").GetString().ShouldBe(missing.GetProperty("title").GetString());
                    hidden.GetProperty("detail").GetString().ShouldBe(missing.GetProperty("detail").GetString()!.Replace(missingId.ToString(), caseId.ToString()));
                }
            }
            var history = await Json(citizen, "/api/cases/citizen/access-log?limit=200");
            history.GetProperty("entries").EnumerateArray()
                .Select(e => e.GetProperty("caseId")).Where(c => c.ValueKind != JsonValueKind.Null).Select(c => c.GetGuid())
                .ShouldAllBe(c => theirs.Contains(c), $"the history of the citizen who sees {string.Join(", ", theirs)}");
        }
    }

    [Fact]
    public async Task Staff_tokens_are_refused_on_the_citizen_endpoints_and_citizen_tokens_on_the_staff_endpoints()
    {
        var f = await Families.Create(system);
        using var kari = system.Client("oppvekst", "caseworker", f.Kari);
        using var officer = system.Client("oppvekst", "privacy-officer");
        using var parent = Citizen(f.ParentNumber);
        using var lowLevel = Citizen(f.ParentNumber, acr: "idporten-loa-low");

        string[] citizenPaths = ["/api/cases/citizen/cases", $"/api/cases/citizen/cases/{f.Home}", "/api/cases/citizen/access-log"];
        foreach (var path in citizenPaths)
        {
            (await kari.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, path);
            (await officer.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, path);
            (await lowLevel.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, path);
        }
        string[] staffPaths =
        [
            "/api/cases", $"/api/cases/{f.Home}", $"/api/cases/{f.Home}/consents", $"/api/cases/persons/{f.Parent}/access-log",
            $"/api/coordination/cases/{f.Home}", "/api/coordination/my-work", $"/api/grants/cases/{f.Home}", "/api/grants/reports/funds",
            $"/api/outcomes/cases/{f.Home}/schedule", $"/api/benefits/cases/{f.Home}",
        ];
        foreach (var path in staffPaths)
        {
            (await parent.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, path);
        }
        (await parent.PostAsJsonAsync("/api/cases/persons/lookup", new { identityNumber = f.ChildNumber })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Every_citizen_read_is_logged_as_their_own_and_the_workers_earlier_read_shows_in_who_looked()
    {
        var f = await Families.Create(system);
        using var kari = system.Client("oppvekst", "caseworker", f.Kari);
        (await kari.GetAsync($"/api/cases/{f.Home}")).EnsureSuccessStatusCode();
        var subject = "innbygger-" + Guid.NewGuid().ToString("N");
        using var parent = Citizen(f.ParentNumber, subject);

        await MyCases(parent);
        var overview = await Json(parent, $"/api/cases/citizen/cases/{f.Home}");
        // The history is whole or a 503 naming the service that did not answer in time; on a busy machine, ask again.
        using var looked = await Eventually.Get(() => parent.GetAsync("/api/cases/citizen/access-log?limit=200"),
            r => r.StatusCode != HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(60), "every service's access log to answer");

        looked.StatusCode.ShouldBe(HttpStatusCode.OK, await looked.Content.ReadAsStringAsync());
        var raw = await looked.Content.ReadAsStringAsync();
        var entries = JsonDocument.Parse(raw).RootElement.GetProperty("entries").EnumerateArray().ToList();
        entries.ShouldContain(e => e.GetProperty("service").GetString() == "cases" && e.GetProperty("role").GetString() == "caseworker"
            && e.GetProperty("sector").GetString() == "oppvekst" && e.GetProperty("action").GetString() == "read"
            && e.GetProperty("about").GetString() == "self" && e.GetProperty("firstName").GetString() == "Per" && !e.GetProperty("byYou").GetBoolean());
        entries.ShouldContain(e => e.GetProperty("role").GetString() == "caseworker" && e.GetProperty("about").GetString() == "child"
            && e.GetProperty("firstName").GetString() == "Cecilie");
        entries.ShouldContain(e => e.GetProperty("byYou").GetBoolean() && e.GetProperty("role").GetString() == "citizen"
            && e.GetProperty("action").GetString() == "read" && e.GetProperty("sector").GetString() == "");
        raw.ShouldNotContain(f.Kari);
        overview.GetRawText().ShouldNotContain(f.ParentNumber);
        overview.GetRawText().ShouldNotContain(f.ChildNumber);
        overview.GetProperty("members").EnumerateArray().Select(m => (m.GetProperty("name").GetString(), m.GetProperty("isYou").GetBoolean()))
            .ShouldContain(("Per Fjell", true));

        using var officer = system.Client("helse-velferd", "privacy-officer", "personvernombud-" + Guid.NewGuid().ToString("N")[..6]);
        var history = (await Json(officer, $"/api/cases/persons/{f.Parent}/access-log?limit=200")).GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("subject").GetString() == subject).ToList();
        history.ShouldContain(e => e.GetProperty("action").GetString() == "list" && e.GetProperty("caseId").ToString() == f.Home.ToString());
        history.ShouldContain(e => e.GetProperty("action").GetString() == "read" && e.GetProperty("caseId").ToString() == f.Home.ToString());
        history.ShouldContain(e => e.GetProperty("action").GetString() == "read-access-log");
        history.ShouldAllBe(e => e.GetProperty("role").GetString() == "citizen" && e.GetProperty("sector").GetString() == ""
            && e.GetProperty("purpose").GetString() == "citizen's own view");
    }

    private HttpClient Citizen(string number, string? subject = null, string acr = "idporten-loa-substantial")
    {
        var client = system.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Citizen(number, subject, acr));
        return client;
    }

    private static async Task<JsonElement> Json(HttpClient client, string path)
    {
        // A history is whole or a 503 naming the service that did not answer in time; on a busy machine, ask again.
        using var response = await Eventually.Get(() => client.GetAsync(path),
            r => r.StatusCode != HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(60), $"GET {path} to answer");
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"GET {path}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<Dictionary<Guid, (string, string)[]>> MyCases(HttpClient citizen) =>
        (await Json(citizen, "/api/cases/citizen/cases")).GetProperty("cases").EnumerateArray().ToDictionary(
            c => c.GetProperty("id").GetGuid(),
            c => c.GetProperty("whose").EnumerateArray().Select(w => (w.GetProperty("firstName").GetString()!, w.GetProperty("relation").GetString()!)).ToArray());
}

/// <summary>
/// Four households: the parent Per with Cecilie (14) and Ylva (16) at home; Cecilie also with her other parent in a
/// second household; Ylva also in a third, with an adult who is not her parent; and a household unrelated to them.
/// </summary>
internal sealed record Families(
    string Kari, Guid Home, Guid Other, Guid Youths, Guid Unrelated, Guid Parent,
    string ParentNumber, string ChildNumber, string YouthNumber, string OtherParentNumber, string YouthsAdultNumber, string UnrelatedNumber)
{
    public static async Task<Families> Create(SystemFixture system)
    {
        var kari = "kari-" + Guid.NewGuid().ToString("N")[..8];
        using var worker = system.Client("oppvekst", "caseworker", kari);
        string parentNumber = IdentityNumbers.Adult(), childNumber = IdentityNumbers.Child(14), youthNumber = IdentityNumbers.Child(16);
        string otherParentNumber = IdentityNumbers.Adult(), youthsAdultNumber = IdentityNumbers.Adult(), unrelatedNumber = IdentityNumbers.Adult();

        var home = await CaseClient.Open(worker, "Familien Fjell");
        var parent = (await CaseClient.AddMember(worker, home, "Per Fjell", "parent", identityNumber: parentNumber)).GetProperty("personId").GetGuid();
        await CaseClient.AddMember(worker, home, "Cecilie Fjell", "child", identityNumber: childNumber, guardians: [parent]);
        await CaseClient.AddMember(worker, home, "Ylva Fjell", "youth", identityNumber: youthNumber, guardians: [parent]);

        var other = await CaseClient.Open(worker, "Familien Dal");
        var otherParent = (await CaseClient.AddMember(worker, other, "Olga Dal", "parent", identityNumber: otherParentNumber)).GetProperty("personId").GetGuid();
        await CaseClient.AddMember(worker, other, "Cecilie Fjell", "child", identityNumber: childNumber, guardians: [otherParent]);

        var youths = await CaseClient.Open(worker, "Familien Skog");
        await CaseClient.AddMember(worker, youths, "Rune Skog", "other-adult", identityNumber: youthsAdultNumber);
        await CaseClient.AddMember(worker, youths, "Ylva Fjell", "youth", identityNumber: youthNumber);

        var unrelated = await CaseClient.Open(worker, "Familien Vik");
        await CaseClient.AddMember(worker, unrelated, "Siv Vik", "parent", identityNumber: unrelatedNumber);
        await CaseClient.AddMember(worker, unrelated, "Theo Vik", "child", birthDate: DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-8));

        return new Families(kari, home, other, youths, unrelated, parent,
            parentNumber, childNumber, youthNumber, otherParentNumber, youthsAdultNumber, unrelatedNumber);
    }
}
