using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Samskaping.IntegrationTests.Cases;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;

namespace Samskaping.IntegrationTests.Security.Privacy;

/// <summary>
/// One household with data in all five services, as a caseworker puts it there through the gateway: a mother (with an
/// identity number), a 14-year-old and a 16-year-old in her care, needs in their own words, consents, relay-log
/// entries of each confidentiality class, a grant with a paid payment, outcome answers, a delivered Digisos document and a
/// benefit look-up.
/// </summary>
internal sealed record ExportFamily(
    Guid CaseId, Guid Mother, string MotherName, string MotherNumber, Guid Child, string ChildName, Guid Youth, string YouthName,
    Guid YouthNeed, Guid MotherConsent, Guid ChildConsent, Guid YouthConsent, IReadOnlyDictionary<string, Guid> Relay,
    Guid Grant, Guid Disbursement, string PaymentReference, string Worker)
{
    public const string MotherNeed = "Vi trenger hjelp med lekser og en fast voksen.";
    public const string YouthNeedText = "Jeg vil ha en egen hybel og slippe kranglingen hjemme.";
    public const string Resource = "Bestemor bor i nærheten og henter ofte.";
    public const string Goal = "Sara kommer seg på skolen hver dag.";
    public const string GrantPurpose = "Fotballsko til Sara";

    public static string RelayText(string confidentiality) => $"Samtale med familien ({confidentiality}).";

    public static string Unique() => Guid.NewGuid().ToString("N")[..8];

    public static async Task<ExportFamily> Seed(SystemFixture system)
    {
        var u = Unique();
        var worker = "kari-export-" + u;
        using var kari = system.Client("oppvekst", "caseworker", worker);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var opened = await kari.PostAsJsonAsync("/api/cases", new { householdName = "Familien Eksport " + u, need = new { text = MotherNeed, saidBy = "Mor" } });
        opened.StatusCode.ShouldBe(HttpStatusCode.Created, await opened.Content.ReadAsStringAsync());
        var openedCase = await opened.Content.ReadFromJsonAsync<JsonElement>();
        var caseId = openedCase.GetProperty("id").GetGuid();
        var householdId = openedCase.GetProperty("householdId").GetGuid();

        var (motherName, childName, youthName) = ("Mona Eksport " + u, "Sara Eksport " + u, "Jonas Eksport " + u);
        var motherNumber = IdentityNumbers.Adult();
        var mother = Person(await CaseClient.AddMember(kari, caseId, motherName, "parent", identityNumber: motherNumber));
        var child = Person(await CaseClient.AddMember(kari, caseId, childName, "child", today.AddYears(-14).AddDays(-30), guardians: [mother]));
        var youth = Person(await CaseClient.AddMember(kari, caseId, youthName, "youth", today.AddYears(-16).AddDays(-30), guardians: [mother]));
        var youthNeed = await Created(kari, $"/api/cases/{caseId}/needs", new { text = YouthNeedText, saidBy = youthName });
        await Created(kari, $"/api/cases/{caseId}/resources", new { text = Resource, saidBy = "Mor" });
        await Created(kari, $"/api/cases/{caseId}/goals", new { text = Goal, proposedBy = "family" });
        var motherConsent = await CaseClient.Consent(kari, caseId, mother, null, "oppvekst");
        var childConsent = await CaseClient.Consent(kari, caseId, child, mother, "oppvekst");
        var youthConsent = await CaseClient.Consent(kari, caseId, youth, null, "oppvekst");
        (await CaseClient.Move(kari, caseId, "intake")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await CaseClient.Move(kari, caseId, "active", "Samtykke er gitt.")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await SliceTests.EventuallyOk(kari, $"/api/coordination/cases/{caseId}");
        var relay = new Dictionary<string, Guid>();
        foreach (var confidentiality in new[] { "ordinary", "professional-secrecy", "restricted" })
        {
            relay[confidentiality] = await Created(kari, $"/api/coordination/cases/{caseId}/relay-log",
                new { type = "meeting", confidentiality, text = RelayText(confidentiality) });
        }

        await SliceTests.EventuallyOk(kari, $"/api/grants/cases/{caseId}");
        var fund = await Fund(system, u);
        var grant = await Created(kari, $"/api/grants/cases/{caseId}/grants", new
        {
            fundId = fund,
            amount = 450m,
            purpose = GrantPurpose,
            category = "leisure",
            payee = new { kind = "family", name = "Familien Eksport", accountNumber = "12345678903" },
        }, idempotent: true);
        (await Post(kari, $"/api/grants/grants/{grant}/approve", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var disbursement = (await CaseClient.Read(kari, $"/api/grants/grants/{grant}")).GetProperty("disbursements").EnumerateArray()
            .ShouldHaveSingleItem().GetProperty("id").GetGuid();
        var reference = "UTB-EKSPORT-" + u;
        var paid = await Post(kari, $"/api/grants/disbursements/{disbursement}/paid", new { paidOn = today, paymentReference = reference });
        paid.StatusCode.ShouldBe(HttpStatusCode.OK, await paid.Content.ReadAsStringAsync());

        var baseline = await SliceTests.EventuallyOk(kari, $"/api/outcomes/cases/{caseId}/schedule",
            s => s.GetProperty("measurements").EnumerateArray().Any(m => m.GetProperty("kind").GetString() == "baseline"));
        var measurementId = baseline.GetProperty("measurements").EnumerateArray()
            .First(m => m.GetProperty("kind").GetString() == "baseline").GetProperty("id").GetGuid();
        foreach (var (person, respondent, value) in new[] { (mother, "self", 7), (child, "guardian", 5), (youth, "self", 6) })
        {
            var answered = await Eventually.Get(
                () => kari.PostAsJsonAsync($"/api/outcomes/cases/{caseId}/measurements/{measurementId}/responses", new
                {
                    personId = person,
                    respondent,
                    answers = new object[] { new { itemId = "life-satisfaction", value } },
                }),
                r => r.StatusCode != HttpStatusCode.UnprocessableEntity, // until outcomes has heard of the member
                what: "the response to be accepted");
            answered.StatusCode.ShouldBe(HttpStatusCode.Created, await answered.Content.ReadAsStringAsync());
        }

        await Eventually.True(async () => await system.Database("benefits").Scalar<long>(
            "SELECT count(*) FROM benefits.feeds WHERE case_id = @c AND state = 'delivered' AND events >= 4", ("c", caseId)) == 1,
            within: TimeSpan.FromSeconds(60), what: "the case's Digisos document to be delivered");
        // The household's current benefits, looked up in the NAV-style simulator: a read in benefits' access log.
        await Eventually.True(async () => await system.Database("benefits").Scalar<long>(
            "SELECT count(*) FROM benefits.cases WHERE case_id = @c AND household_id IS NOT NULL", ("c", caseId)) == 1,
            what: "benefits to know the case's household");
        (await kari.GetAsync($"/api/benefits/households/{householdId}/benefits")).StatusCode.ShouldBe(HttpStatusCode.OK);

        return new ExportFamily(caseId, mother, motherName, motherNumber, child, childName, youth, youthName, youthNeed,
            motherConsent, childConsent, youthConsent, relay, grant, disbursement, reference, worker);
    }

    private static Guid Person(JsonElement member) => member.GetProperty("personId").GetGuid();

    private static async Task<Guid> Created(HttpClient client, string path, object body, bool idempotent = false)
    {
        var response = idempotent ? await Post(client, path, body) : await client.PostAsJsonAsync(path, body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, $"{path}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<Guid> Fund(SystemFixture system, string u)
    {
        using var approver = system.Client("oppvekst", "grant-approver", "fund-admin");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return await Created(approver, "/api/grants/funds", new
        {
            name = "Eksportfond " + u,
            owner = "oppvekst",
            periodStart = today.AddDays(-30),
            periodEnd = today.AddDays(330),
            budget = 10_000m,
            approvalThreshold = 5_000m,
            householdCap = 100_000m,
            lowBalanceThreshold = 0m,
            reportToBenefitSystem = true,
        }, idempotent: true);
    }

    private static async Task<HttpResponseMessage> Post(HttpClient client, string path, object? body)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        message.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return await client.SendAsync(message);
    }
}
