using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;

namespace Samskaping.IntegrationTests.Security.Telemetry;

/// <summary>
/// The services' <c>.http</c> walk-throughs as one family's story, through the gateway (the README's walk-through is
/// run from README.md itself by <c>ReadmeWalkThroughTests</c>):
/// cases, coordination, grants, outcomes, benefits with the NAV-style simulator (look-up, status feed, inbound
/// notification). Each step checks its answer, so the telemetry scanned afterwards is that of a run that worked.
/// </summary>
internal sealed class WalkThrough(TelemetrySystem system, Family family)
{
    private static readonly string[] Sectors = ["oppvekst", "helse-velferd", "kultur"];
    private static readonly string[] MotherPurposes = ["coordination", "grants", "outcome-measurement", "benefit-coordination"];
    private static readonly string[] MotherData = ["needs", "family", "economy"];
    private static readonly string[] ChildPurposes = ["coordination", "outcome-measurement"];
    private static readonly string[] ChildData = ["needs", "school"];

    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly DateOnly _today = DateOnly.FromDateTime(DateTime.UtcNow);

    public async Task Run()
    {
        using var kari = system.Client("oppvekst", "caseworker", "kari-" + _run);
        using var hanne = system.Client("helse-velferd", "caseworker", "hanne-" + _run);
        using var ola = system.Client("oppvekst", "grant-approver", "ola-" + _run);
        using var siri = system.Client("oppvekst", "grant-approver", "siri-" + _run);
        using var analyst = system.Client("oppvekst", "analyst", "analyst-" + _run);
        using var admin = system.Client("oppvekst", "admin", "admin-" + _run);
        using var simulator = system.SimulatorClient();

        // The benefit system knows the mother: the look-ups below find something.
        await Expect(simulator.PostAsJsonAsync("/simulator/benefits", new
        {
            personident = family.MotherNumber,
            ytelser = new[] { new { type = "barnetrygd", belopPerManed = 1766.00m, fom = "2020-01-01", tom = (string?)null } },
        }), HttpStatusCode.OK);

        // Cases (Cases.http).
        var opened = await Expect(kari.PostAsJsonAsync("/api/cases", new
        {
            householdName = "Familien " + family.Mother.Split(' ')[^1],
            need = new { text = $"Vi vil at {family.Child.Split(' ')[0]} skal kunne begynne på fotball igjen.", saidBy = "Mor" },
            referral = new { source = "helse-velferd", reason = "Helsesykepleier ser at barnet er mye alene." },
        }), HttpStatusCode.Created);
        var caseId = opened.GetProperty("id").GetGuid();
        var householdId = opened.GetProperty("householdId").GetGuid();
        await Expect(kari.PostAsJsonAsync("/api/cases/persons/lookup", new { identityNumber = family.MotherNumber }), HttpStatusCode.OK, HttpStatusCode.NotFound);
        var mother = (await Expect(kari.PostAsJsonAsync($"/api/cases/{caseId}/members",
            new { name = family.Mother, role = "guardian", identityNumber = family.MotherNumber }), HttpStatusCode.Created)).GetProperty("personId").GetGuid();
        await Expect(kari.PostAsJsonAsync($"/api/cases/{caseId}/members",
            new { name = family.Father, role = "parent", identityNumber = family.FatherNumber }), HttpStatusCode.Created);
        var child = (await Expect(kari.PostAsJsonAsync($"/api/cases/{caseId}/members",
            new { name = family.Child, role = "child", identityNumber = family.ChildNumber, guardians = new[] { mother } }), HttpStatusCode.Created)).GetProperty("personId").GetGuid();
        await Expect(kari.PostAsJsonAsync("/api/cases/persons/lookup", new { identityNumber = family.MotherNumber }), HttpStatusCode.OK);
        // A typing error in an identity number: the problem names the field, never the number.
        await Expect(kari.PostAsJsonAsync($"/api/cases/{caseId}/members",
            new { name = family.Father, role = "parent", identityNumber = family.FatherNumber[..10] + ((family.FatherNumber[10] - '0' + 1) % 10) }), HttpStatusCode.UnprocessableEntity);
        await Expect(kari.PostAsJsonAsync($"/api/cases/{caseId}/status", new { to = "intake", reason = "Første samtale avtalt." }), HttpStatusCode.OK);
        await Expect(kari.PostAsJsonAsync($"/api/cases/{caseId}/consents", new
        {
            personId = mother,
            givenByPersonId = mother,
            sectors = Sectors,
            purposes = MotherPurposes,
            dataCategories = MotherData,
        }), HttpStatusCode.Created);
        var childConsent = (await Expect(kari.PostAsJsonAsync($"/api/cases/{caseId}/consents", new
        {
            personId = child,
            givenByPersonId = mother,
            sectors = Sectors,
            purposes = ChildPurposes,
            dataCategories = ChildData,
        }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await Expect(kari.PostAsJsonAsync($"/api/cases/{caseId}/resources", new { text = "Mormor kan kjøre til trening.", saidBy = "Mor" }), HttpStatusCode.Created);
        var goal = (await Expect(kari.PostAsJsonAsync($"/api/cases/{caseId}/goals",
            new { text = "Trener med laget to ganger i uka.", proposedBy = "family" }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await Expect(kari.PostAsJsonAsync($"/api/cases/{caseId}/status", new { to = "active", reason = "Samtykke er gitt." }), HttpStatusCode.OK);
        await Expect(kari.GetAsync($"/api/cases/{caseId}"), HttpStatusCode.OK);
        // A search puts a name in the query string: by surname, and by the full name the scanner looks for.
        var surname = family.Mother.Split(' ')[^1];
        await Expect(kari.GetAsync($"/api/cases?scope=mine&status=active&q={Uri.EscapeDataString(surname)}&limit=10"), HttpStatusCode.OK);
        await Expect(kari.GetAsync($"/api/cases?scope=visible&q={Uri.EscapeDataString(family.Mother)}&limit=10"), HttpStatusCode.OK);
        await Expect(kari.GetAsync($"/api/cases/{caseId}/timeline?limit=20"), HttpStatusCode.OK);
        await Expect(kari.GetAsync($"/api/cases/{caseId}/consents"), HttpStatusCode.OK);

        // Coordination (Coordination.http): helse-velferd joins once the consent has reached coordination.
        await Eventually.True(async () => (await kari.PostAsJsonAsync($"/api/coordination/cases/{caseId}/sectors", new { sector = "helse-velferd" }))
            .StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, what: "helse-velferd to join");
        await Expect(hanne.GetAsync($"/api/coordination/cases/{caseId}"), HttpStatusCode.OK);
        await Expect(hanne.PostAsJsonAsync($"/api/coordination/cases/{caseId}/relay-log", new
        {
            type = "meeting",
            confidentiality = "professional-secrecy",
            text = "Samtale med mor om søvn og skole.",
        }), HttpStatusCode.Created);
        await Expect(kari.GetAsync($"/api/coordination/cases/{caseId}/relay-log"), HttpStatusCode.OK);
        var measure = (await Expect(kari.PostAsJsonAsync($"/api/coordination/cases/{caseId}/measures", new
        {
            title = "Fotballtrening to ganger i uka",
            responsibleSector = "helse-velferd",
            startsOn = _today,
            endsOn = _today.AddMonths(6),
            nextReviewOn = _today.AddMonths(1),
        }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await Expect(hanne.PostAsJsonAsync($"/api/coordination/cases/{caseId}/measures/{measure}/evaluations", new
        {
            helped = "partly",
            familyWords = "Gleder seg til trening, men bussen er et problem.",
            nextReviewOn = _today.AddMonths(2),
        }), HttpStatusCode.Created, HttpStatusCode.OK);
        await Expect(kari.PutAsJsonAsync($"/api/coordination/cases/{caseId}/bti-level", new { level = 2, reason = "Flere tjenester samarbeider." }), HttpStatusCode.OK);
        await Expect(kari.GetAsync($"/api/coordination/cases/{caseId}/plan"), HttpStatusCode.OK);

        // Grants (Grants.http): a fund reported to the benefit system, a grant to the family, one to a landlord.
        var fund = (await Expect(Send(ola, HttpMethod.Post, "/api/grants/funds", new
        {
            name = "Fritid for alle " + _run,
            owner = "oppvekst",
            periodStart = new DateOnly(_today.Year, 1, 1),
            periodEnd = new DateOnly(_today.Year + 1, 1, 1),
            budget = 100000m,
            approvalThreshold = 3000m,
            householdCap = 15000m,
            lowBalanceThreshold = 10000m,
            reportToBenefitSystem = true,
        }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await Expect(Send(ola, HttpMethod.Post, $"/api/grants/funds/{fund}/top-ups", new { amount = 25000m, note = "tilleggsbevilgning" }), HttpStatusCode.OK, HttpStatusCode.Created);
        await Expect(kari.GetAsync($"/api/grants/cases/{caseId}"), HttpStatusCode.OK);
        var small = (await Expect(Send(kari, HttpMethod.Post, $"/api/grants/cases/{caseId}/grants", new
        {
            fundId = fund,
            amount = 2450.00m,
            purpose = "Fotballsko, leggskinn og treningsavgift for høsten.",
            category = "leisure",
            payee = new { kind = "family", name = family.Mother, accountNumber = Grouped(family.FamilyAccount) },
        }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await Expect(kari.GetAsync($"/api/grants/grants/{small}/decision"), HttpStatusCode.OK);
        var smallApproved = await Expect(Send(kari, HttpMethod.Post, $"/api/grants/grants/{small}/approve", null), HttpStatusCode.OK);
        var payment = smallApproved.GetProperty("disbursements")[0].GetProperty("id").GetGuid();
        await Expect(Send(kari, HttpMethod.Post, $"/api/grants/disbursements/{payment}/paid",
            new { paidOn = _today, paymentReference = "UTB-" + _run }), HttpStatusCode.OK);
        var big = (await Expect(Send(ola, HttpMethod.Post, $"/api/grants/cases/{caseId}/grants", new
        {
            fundId = fund,
            amount = 9000m,
            purpose = "Husleie i tre måneder mens far er sykmeldt.",
            category = "housing",
            payee = new { kind = "third-party", name = "Utleier AS", accountNumber = family.LandlordAccount, organisationNumber = "974000008" },
            instalments = new[]
            {
                new { amount = 3000m, dueOn = _today.AddMonths(1) },
                new { amount = 3000m, dueOn = _today.AddMonths(2) },
                new { amount = 3000m, dueOn = _today.AddMonths(3) },
            },
        }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await Expect(Send(ola, HttpMethod.Post, $"/api/grants/grants/{big}/approve", null), HttpStatusCode.Forbidden);
        var bigApproved = await Expect(Send(siri, HttpMethod.Post, $"/api/grants/grants/{big}/approve", null), HttpStatusCode.OK);
        var instalment = bigApproved.GetProperty("disbursements")[2].GetProperty("id").GetGuid();
        await Expect(Send(kari, HttpMethod.Post, $"/api/grants/disbursements/{instalment}/stop", new { reason = "Far er tilbake i arbeid." }), HttpStatusCode.OK);
        // A bad account number: the problem names payee.accountNumber, never the number.
        await Expect(Send(kari, HttpMethod.Post, $"/api/grants/cases/{caseId}/grants", new
        {
            fundId = fund,
            amount = 10m,
            purpose = "x",
            payee = new { kind = "family", name = family.Father, accountNumber = family.FamilyAccount[..10] + ((family.FamilyAccount[10] - '0' + 1) % 10) },
        }), HttpStatusCode.UnprocessableEntity, HttpStatusCode.BadRequest);
        await Expect(ola.GetAsync($"/api/grants/funds/{fund}"), HttpStatusCode.OK);
        await Expect(ola.GetAsync($"/api/grants/funds/{fund}/ledger"), HttpStatusCode.OK);
        await Expect(kari.GetAsync($"/api/grants/grants/{big}"), HttpStatusCode.OK);
        await Expect(analyst.GetAsync("/api/grants/reports/funds"), HttpStatusCode.OK);
        await Expect(analyst.GetAsync("/api/grants/reports/spending?format=csv"), HttpStatusCode.OK);
        await Expect(kari.GetAsync($"/api/grants/reports/households/{householdId}"), HttpStatusCode.OK);

        // Outcomes (Outcomes.http): the baseline, answered by the mother with a worker, with free text.
        await Expect(kari.GetAsync("/api/outcomes/instruments/samskaping-core/versions/1"), HttpStatusCode.OK);
        var schedule = await Eventually.Get(async () => await Read(kari, $"/api/outcomes/cases/{caseId}/schedule"),
            s => s.ValueKind == JsonValueKind.Object && s.GetProperty("measurements").EnumerateArray().Any(m => m.GetProperty("kind").GetString() == "baseline"),
            what: "the baseline measurement");
        var baseline = schedule.GetProperty("measurements").EnumerateArray().First(m => m.GetProperty("kind").GetString() == "baseline").GetProperty("id").GetGuid();
        var response = await Eventually.Get(async () => await kari.PostAsJsonAsync($"/api/outcomes/cases/{caseId}/measurements/{baseline}/responses", new
        {
            personId = mother,
            respondent = "worker-with-person",
            answers = new object[]
            {
                new { itemId = "life-satisfaction", value = 4 },
                new { itemId = "mastery", value = 6 },
                new { itemId = "neg-gratitude-debt", value = 8 },
                new { itemId = "neg-gratitude-debt-comment", text = "Vi føler at vi alltid må takke." },
            },
        }), r => r.StatusCode != HttpStatusCode.UnprocessableEntity, what: "outcomes to know the mother");
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        await Expect(kari.GetAsync($"/api/outcomes/cases/{caseId}/responses"), HttpStatusCode.OK);
        await Expect(kari.GetAsync($"/api/outcomes/cases/{caseId}/change"), HttpStatusCode.OK);
        await Expect(kari.GetAsync("/api/outcomes/overdue?sector=oppvekst"), HttpStatusCode.OK);
        await Expect(analyst.GetAsync("/api/outcomes/reports/change?by=sector&domain=life-satisfaction"), HttpStatusCode.OK);
        await Expect(analyst.GetAsync("/api/outcomes/reports/research-export"), HttpStatusCode.OK);

        // Benefits (Benefits.http and the simulator's): the look-up, the status feed delivered, an inbound notification.
        await Expect(kari.GetAsync($"/api/benefits/cases/{caseId}"), HttpStatusCode.OK);
        await Eventually.True(async () => (await kari.GetAsync($"/api/benefits/households/{householdId}/benefits")).StatusCode == HttpStatusCode.OK,
            what: "the household's benefits");
        await Eventually.True(async () =>
        {
            var feed = await Read(kari, $"/api/benefits/cases/{caseId}/feed");
            return feed.ValueKind == JsonValueKind.Object && feed.GetProperty("state").GetString() == "delivered";
        }, TimeSpan.FromSeconds(60), "the status feed to reach the simulator");
        await Expect(admin.GetAsync("/api/benefits/feeds?state=delivered"), HttpStatusCode.OK);
        var inbound = await Expect(simulator.PostAsJsonAsync("/simulator/inbound", new
        {
            eventId = "nav-" + _run,
            personIdent = family.MotherNumber,
            benefit = "økonomisk sosialhjelp",
            status = "granted",
            monthlyAmount = 8450.00m,
            from = new DateOnly(_today.Year, 1, 1),
        }), HttpStatusCode.OK);
        inbound.GetProperty("status").GetInt32().ShouldBe(202, inbound.GetRawText());
        await Eventually.True(async () =>
        {
            var log = await Read(kari, $"/api/coordination/cases/{caseId}/relay-log");
            return log.ValueKind == JsonValueKind.Array
                && log.EnumerateArray().Any(e => e.GetProperty("text").GetString()!.StartsWith("Benefit system:", StringComparison.Ordinal));
        }, what: "the inbound notification in the relay log");

        // Handover of the lead, then the case is closed (the closing measurement follows over the bus).
        var handover = (await Expect(kari.PostAsJsonAsync($"/api/coordination/cases/{caseId}/handovers",
            new { to = "hanne-" + _run, toSector = "helse-velferd", note = "Hanne kjenner familien best nå." }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await Expect(hanne.GetAsync("/api/coordination/my-work"), HttpStatusCode.OK);
        await Expect(Send(hanne, HttpMethod.Post, $"/api/coordination/cases/{caseId}/handovers/{handover}/accept", null), HttpStatusCode.OK);
        await Expect(hanne.GetAsync($"/api/coordination/cases/{caseId}/leads"), HttpStatusCode.OK);
        await Expect(kari.PostAsJsonAsync($"/api/cases/{caseId}/consents/{childConsent}/withdrawal", new { reason = "Mor ønsker ikke lenger deling." }), HttpStatusCode.OK, HttpStatusCode.Created);
        await Expect(kari.PostAsJsonAsync($"/api/cases/{caseId}/goals/{goal}/status", new { status = "achieved" }), HttpStatusCode.OK);
        await Expect(kari.PostAsJsonAsync($"/api/cases/{caseId}/status", new { to = "closing", reason = "Målet er nådd." }), HttpStatusCode.OK);
        await Expect(kari.PostAsJsonAsync($"/api/cases/{caseId}/status", new { to = "closed", reason = "Avsluttende samtale holdt." }), HttpStatusCode.OK);
        await Expect(kari.GetAsync($"/api/cases/{caseId}/status-history"), HttpStatusCode.OK);

        // Let every outbox drain, so the consumers' telemetry is part of what is scanned.
        foreach (var service in new[] { "cases", "coordination", "grants", "outcomes", "benefits" })
        {
            await Eventually.True(async () => await system.Database(service).Scalar<long>("SELECT count(*) FROM messaging.outbox WHERE published_at IS NULL") == 0,
                what: $"{service}'s outbox to drain");
        }
    }

    /// <summary>An account number as people write it: 1234 56 78903.</summary>
    private static string Grouped(string account) => $"{account[..4]} {account[4..6]} {account[6..]}";

    private static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, object? body)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return client.SendAsync(request);
    }

    private static async Task<JsonElement> Expect(Task<HttpResponseMessage> sending, params HttpStatusCode[] expected)
    {
        using var response = await sending;
        var text = await response.Content.ReadAsStringAsync();
        expected.ShouldContain(response.StatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}: {text}");
        return text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true
            ? JsonDocument.Parse(text).RootElement.Clone()
            : default;
    }

    /// <summary>The body of a 200, or an undefined element while the service has not heard of the case yet.</summary>
    private static async Task<JsonElement> Read(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return response.StatusCode == HttpStatusCode.OK ? (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone() : default;
    }
}
