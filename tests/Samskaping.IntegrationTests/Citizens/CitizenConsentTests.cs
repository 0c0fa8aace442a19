using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Samskaping.Contracts.Cases;
using Samskaping.IntegrationTests.Cases;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Citizens;

/// <summary>
/// "My consents" through the gateway: a citizen gives and withdraws consents with the workers' rules, access
/// read model and events; the giver is always their own record; a sector's access follows at once, as a worker sees it.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class CitizenConsentTests(SystemFixture system)
{
    [Fact]
    public async Task A_parent_consents_for_themselves_and_their_child_of_14_the_sector_reads_and_loses_access_at_the_withdrawal()
    {
        var f = await Families.Create(system);
        using var kari = system.Client("oppvekst", "caseworker", f.Kari);
        var subject = "innbygger-" + Guid.NewGuid().ToString("N");
        using var parent = Citizen(f.ParentNumber, subject);

        var page = await Json(parent, $"/api/cases/citizen/cases/{f.Home}/consents");
        var mayConsentFor = page.GetProperty("mayConsentFor").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => (Id: p.GetProperty("personId").GetGuid(), Relation: p.GetProperty("relation").GetString()));
        mayConsentFor.Keys.ShouldBe(["Per Fjell", "Cecilie Fjell"], ignoreOrder: true);
        mayConsentFor["Per Fjell"].ShouldBe((f.Parent, "self"));
        var cecilie = mayConsentFor["Cecilie Fjell"].Id;

        // Helse og velferd joins under the family's own consent; the lead (kari, who opened the case) sees it whatever.
        using var hanne = system.Client("helse-velferd", "caseworker");
        (await hanne.GetAsync($"/api/cases/{f.Home}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var own = await Give(parent, f.Home, f.Parent, "helse-velferd", HttpStatusCode.Created);
        own.GetProperty("givenByPersonId").GetGuid().ShouldBe(f.Parent);
        own.GetProperty("recordedBy").GetString().ShouldBe("citizen:" + subject);
        await Eventually.True(async () => (await kari.PostAsJsonAsync($"/api/coordination/cases/{f.Home}/sectors", new { sector = "helse-velferd" }))
            .StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, what: "helse-velferd to join under the citizen's consent");
        await Eventually.True(async () => (await hanne.GetAsync($"/api/cases/{f.Home}")).StatusCode == HttpStatusCode.OK,
            what: "the participation to reach cases");
        var childs = await Give(parent, f.Home, cecilie, "helse-velferd", HttpStatusCode.Created);
        childs.GetProperty("personId").GetGuid().ShouldBe(cecilie);
        childs.GetProperty("givenByPersonId").GetGuid().ShouldBe(f.Parent);

        // The worker's history shows both as the family's own, and the citizen's page offers both for withdrawal.
        var history = (await Json(hanne, $"/api/cases/{f.Home}/consents")).EnumerateArray().ToList();
        history.Select(c => c.GetProperty("id").GetGuid()).ShouldBe([childs.GetProperty("id").GetGuid(), own.GetProperty("id").GetGuid()]);
        history.ShouldAllBe(c => c.GetProperty("recordedBy").GetString() == "citizen:" + subject && c.GetProperty("state").GetString() == "valid");
        (await Json(parent, $"/api/cases/citizen/cases/{f.Home}/consents")).GetProperty("withdrawable").EnumerateArray().Select(i => i.GetGuid())
            .ShouldBe([childs.GetProperty("id").GetGuid(), own.GetProperty("id").GetGuid()], ignoreOrder: true);

        (await Withdraw(parent, f.Home, own.GetProperty("id").GetGuid())).StatusCode.ShouldBe(HttpStatusCode.OK);
        // The child's consent still covers helse-velferd.
        (await hanne.GetAsync($"/api/cases/{f.Home}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var withdrawn = await Withdraw(parent, f.Home, childs.GetProperty("id").GetGuid());
        withdrawn.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await withdrawn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("withdrawnBy").GetString().ShouldBe("citizen:" + subject);
        (await hanne.GetAsync($"/api/cases/{f.Home}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Withdraw(parent, f.Home, childs.GetProperty("id").GetGuid())).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        // Access-logged as the citizen's own: their pseudonym, role citizen, no sector.
        using var officer = system.Client("helse-velferd", "privacy-officer", "personvernombud-" + Guid.NewGuid().ToString("N")[..6]);
        var mine = (await Json(officer, $"/api/cases/persons/{cecilie}/access-log?limit=200")).GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("subject").GetString() == subject).ToList();
        mine.ShouldContain(e => e.GetProperty("action").GetString() == "create" && e.GetProperty("purpose").GetString() == "record consent");
        mine.ShouldContain(e => e.GetProperty("action").GetString() == "update" && e.GetProperty("purpose").GetString() == "withdraw consent");
        mine.ShouldAllBe(e => e.GetProperty("role").GetString() == "citizen" && e.GetProperty("sector").GetString() == "");
    }

    [Fact]
    public async Task A_parent_cannot_consent_for_the_youth_of_16_who_gives_their_own_and_the_giver_is_never_the_bodys()
    {
        var f = await Families.Create(system);
        using var kari = system.Client("oppvekst", "caseworker", f.Kari);
        using var parent = Citizen(f.ParentNumber);
        using var youth = Citizen(f.YouthNumber);
        var ylva = (await Json(kari, $"/api/cases/{f.Home}")).GetProperty("members").EnumerateArray()
            .Single(m => m.GetProperty("name").GetString() == "Ylva Fjell").GetProperty("personId").GetGuid();

        await Refused(parent, f.Home, new { personId = ylva, sectors = Oppvekst, purposes = Coordination, dataCategories = Needs }, "personId");
        // A giver in the body is not read: the parent's own record gives, and the youth's rule refuses it.
        await Refused(parent, f.Home, new { personId = ylva, givenByPersonId = ylva, sectors = Oppvekst, purposes = Coordination, dataCategories = Needs }, "personId");
        // In the other parent's household the parent reaches only the child, and is no member to give it.
        var cecilieThere = (await Json(parent, $"/api/cases/citizen/cases/{f.Other}/consents")).GetProperty("mayConsentFor").EnumerateArray().ToList();
        cecilieThere.ShouldBeEmpty();
        await Refused(parent, f.Other, new { personId = f.Parent, sectors = Oppvekst, purposes = Coordination, dataCategories = Needs }, "personId");
        await Refused(parent, f.Home, new { personId = f.Parent, sectors = Array.Empty<string>(), purposes = Coordination, dataCategories = Needs }, "sectors");
        await Refused(parent, f.Home, new { personId = f.Parent, sectors = Politi, purposes = Coordination, dataCategories = Needs }, "sectors");
        (await Json(kari, $"/api/cases/{f.Home}/consents")).GetArrayLength().ShouldBe(0);

        var mayConsentFor = (await Json(youth, $"/api/cases/citizen/cases/{f.Home}/consents")).GetProperty("mayConsentFor").EnumerateArray().ToList();
        mayConsentFor.Select(p => (p.GetProperty("personId").GetGuid(), p.GetProperty("relation").GetString())).ShouldBe([(ylva, "self")]);
        var own = await Give(youth, f.Home, ylva, "oppvekst", HttpStatusCode.Created);
        own.GetProperty("givenByPersonId").GetGuid().ShouldBe(ylva);
    }

    [Fact]
    public async Task A_citizen_cannot_withdraw_another_households_consent_or_one_about_and_by_others()
    {
        var f = await Families.Create(system);
        using var kari = system.Client("oppvekst", "caseworker", f.Kari);
        using var parent = Citizen(f.ParentNumber);
        using var youth = Citizen(f.YouthNumber);
        using var unrelated = Citizen(f.UnrelatedNumber);
        var siv = (await Json(unrelated, $"/api/cases/citizen/cases/{f.Unrelated}/consents")).GetProperty("mayConsentFor")[0].GetProperty("personId").GetGuid();
        var theirs = (await Give(unrelated, f.Unrelated, siv, "oppvekst", HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var ylva = (await Json(youth, $"/api/cases/citizen/cases/{f.Home}/consents")).GetProperty("mayConsentFor")[0].GetProperty("personId").GetGuid();
        var ylvas = (await Give(youth, f.Home, ylva, "oppvekst", HttpStatusCode.Created)).GetProperty("id").GetGuid();

        using var elsewhere = await Withdraw(parent, f.Unrelated, theirs);
        elsewhere.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Withdraw(parent, f.Home, theirs)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var youths = await Withdraw(parent, f.Home, ylvas);
        youths.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var missing = await Withdraw(parent, f.Home, Guid.CreateVersion7());
        (await youths.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString()
            .ShouldBe((await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        (await Json(parent, $"/api/cases/citizen/cases/{f.Home}/consents")).GetProperty("withdrawable").GetArrayLength().ShouldBe(0);

        (await Json(kari, $"/api/cases/{f.Home}/consents"))[0].GetProperty("state").GetString().ShouldBe("valid");
        (await Json(kari, $"/api/cases/{f.Unrelated}/consents"))[0].GetProperty("state").GetString().ShouldBe("valid");
    }

    [Fact]
    public async Task The_citizens_consent_publishes_the_workers_events_once_and_a_form_sent_twice_gives_one_consent()
    {
        var f = await Families.Create(system);
        var received = new ConcurrentBag<(string Type, Guid CaseId, Guid? MessageId, string Json)>();
        // A probe queue of its own on another service's bus, as the workers' events test listens.
        var connector = system.Services("coordination").GetRequiredService<IReceiveEndpointConnector>();
        var handle = connector.ConnectReceiveEndpoint($"citizen-consent-probe-{Guid.NewGuid():N}", (_, endpoint) =>
        {
            endpoint.Handler<ConsentGiven>(c => Record(c, c.Message.CaseId));
            endpoint.Handler<ConsentWithdrawn>(c => Record(c, c.Message.CaseId));
        });
        await handle.Ready;
        try
        {
            var subject = "innbygger-" + Guid.NewGuid().ToString("N");
            using var parent = Citizen(f.ParentNumber, subject);
            var body = new { personId = f.Parent, sectors = Oppvekst, purposes = Coordination, dataCategories = Needs };
            var twice = await Task.WhenAll(
                parent.PostAsJsonAsync($"/api/cases/citizen/cases/{f.Home}/consents", body),
                parent.PostAsJsonAsync($"/api/cases/citizen/cases/{f.Home}/consents", body));
            twice.Select(r => r.StatusCode).ShouldBe([HttpStatusCode.Created, HttpStatusCode.OK], ignoreOrder: true);
            var ids = await Task.WhenAll(twice.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid()));
            ids.Distinct().Count().ShouldBe(1);
            (await Withdraw(parent, f.Home, ids[0])).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await Withdraw(parent, f.Home, ids[0])).StatusCode.ShouldBe(HttpStatusCode.Conflict);

            await Eventually.True(() => Task.FromResult(received.Count(r => r.CaseId == f.Home) >= 2), what: "the consent's two events");
            await Task.Delay(1000); // room for a duplicate to arrive, were there one
            var mine = received.Where(r => r.CaseId == f.Home).ToList();
            mine.GroupBy(r => r.Type).ToDictionary(g => g.Key, g => g.Count())
                .ShouldBe(new Dictionary<string, int> { [nameof(ConsentGiven)] = 1, [nameof(ConsentWithdrawn)] = 1 }, ignoreOrder: true);
            mine.Select(r => r.MessageId).Distinct().Count().ShouldBe(mine.Count);
            var individualAndCheckDigits = f.ParentNumber[6..];
            mine.ShouldAllBe(r => !r.Json.Contains(individualAndCheckDigits) && !r.Json.Contains("Fjell"));
            var given = JsonSerializer.Deserialize<JsonElement>(mine.Single(r => r.Type == nameof(ConsentGiven)).Json);
            given.GetProperty("consentId").GetGuid().ShouldBe(ids[0]);
            given.GetProperty("givenByPersonId").GetGuid().ShouldBe(f.Parent);
            given.GetProperty("recordedBy").GetString().ShouldBe("citizen:" + subject);
            JsonSerializer.Deserialize<JsonElement>(mine.Single(r => r.Type == nameof(ConsentWithdrawn)).Json)
                .GetProperty("withdrawnBy").GetString().ShouldBe("citizen:" + subject);
        }
        finally
        {
            await handle.StopAsync();
        }

        Task Record<T>(ConsumeContext<T> context, Guid caseId) where T : class
        {
            received.Add((typeof(T).Name, caseId, context.MessageId, JsonSerializer.Serialize(context.Message, JsonSerializerOptions.Web)));
            return Task.CompletedTask;
        }
    }

    private static readonly string[] Oppvekst = ["oppvekst"];
    private static readonly string[] Coordination = ["coordination"];
    private static readonly string[] Needs = ["needs"];
    private static readonly string[] Politi = ["politi"];

    private static async Task<JsonElement> Give(HttpClient citizen, Guid caseId, Guid personId, string sector, HttpStatusCode expected)
    {
        using var response = await citizen.PostAsJsonAsync($"/api/cases/citizen/cases/{caseId}/consents",
            new { personId, sectors = new[] { sector }, purposes = Coordination, dataCategories = Needs });
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static Task<HttpResponseMessage> Withdraw(HttpClient citizen, Guid caseId, Guid consentId) =>
        citizen.PostAsJsonAsync($"/api/cases/citizen/cases/{caseId}/consents/{consentId}/withdraw", new { reason = "Vi vil ikke dele dette lenger." });

    private static async Task Refused(HttpClient citizen, Guid caseId, object body, string field, HttpStatusCode status = HttpStatusCode.UnprocessableEntity)
    {
        using var response = await citizen.PostAsJsonAsync($"/api/cases/citizen/cases/{caseId}/consents", body);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject().Select(e => e.Name.TrimStart('$', '.'))
            .ShouldContain(n => n.Equals(field, StringComparison.OrdinalIgnoreCase), text);
    }

    private HttpClient Citizen(string number, string? subject = null)
    {
        var client = system.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Citizen(number, subject));
        return client;
    }

    private static async Task<JsonElement> Json(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"GET {path}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
