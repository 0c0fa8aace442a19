using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Samskaping.IntegrationTests.Cases;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;

namespace Samskaping.IntegrationTests.Security.Matrix;

/// <summary>
/// Data that belongs to one sector, set up through the gateway as the sectors would: a case opened by oppvekst
/// with a household, a consent covering oppvekst and helse-velferd, both taking part; nav joined under a consent
/// that has since expired (it takes part without consent); kultur and frivillighet not taking part. The lead was
/// handed over to a nav coordinator, who sees the case only as its lead, and has asked a helse-velferd coordinator
/// to take over (pending). A fund, grants, a disbursement, an outcome measurement with a response, a task for the
/// lead, a benefits feed — so every path parameter of every operation has a real value.
/// </summary>
public sealed class MatrixScene
{
    private static readonly string[] Coordination = ["coordination", "grants", "outcome-measurement", "benefit-coordination"];
    private static readonly string[] Categories = ["needs", "family", "economy"];
    private static readonly string[] Joining = ["helse-velferd", "nav"];
    private static readonly string[] Nav = ["nav"];

    private readonly Dictionary<(string Service, string Name), string> _values = [];

    public string LeadSubject { get; } = "matrix-lead-" + Guid.NewGuid().ToString("N")[..8];
    public string ReceiverSubject { get; } = "matrix-receiver-" + Guid.NewGuid().ToString("N")[..8];
    public Guid CaseId { get; private set; }
    public Guid HouseholdId { get; private set; }
    public Guid Mother { get; private set; }
    public string MotherNumber { get; } = IdentityNumbers.Adult();
    public Guid ConsentId { get; private set; }
    public Guid OtherFund { get; private set; }

    /// <summary>The sector the scene's funds belong to.</summary>
    public const string FundOwner = "oppvekst";

    /// <summary>The value of a path parameter, keyed by service and name (the same name means different things in different services).</summary>
    public IReadOnlyDictionary<string, string> PathValues(string service) =>
        _values.Where(v => v.Key.Service == service).ToDictionary(v => v.Key.Name, v => v.Value, StringComparer.Ordinal);

    /// <summary>
    /// The path values for one operation: its service's, except where one operation uses a name for something else
    /// (the access history's and the export's <c>{id}</c> is a person, not a case; the replay tools' is a parked row).
    /// </summary>
    public IReadOnlyDictionary<string, string> PathValues(ApiOperation operation)
    {
        var values = _values.Where(v => v.Key.Service == operation.Service).ToDictionary(v => v.Key.Name, v => v.Value, StringComparer.Ordinal);
        if (operation.Key is "GET /api/cases/persons/{id}/access-log" or "GET /api/cases/persons/{id}/export" or "GET /api/cases/persons/{id}/corrections")
        {
            values["id"] = Mother.ToString();
        }
        if (operation.Key.Contains("/admin/messaging/", StringComparison.Ordinal))
        {
            // A message or parked row that is not there: the replay tools answer 404 to those who may use them.
            values["messageId"] = values["id"] = Guid.NewGuid().ToString();
        }
        return values;
    }

    public string PathSector => _values[("coordination", "sector")];

    public static async Task<MatrixScene> Create(SystemFixture system)
    {
        var scene = new MatrixScene();
        await scene.Build(system);
        return scene;
    }

    private async Task Build(SystemFixture system)
    {
        using var opener = system.Client("oppvekst", "caseworker", "matrix-opener-" + Guid.NewGuid().ToString("N")[..8]);
        using var lead = system.Client("nav", "coordinator", LeadSubject);
        using var approver = system.Client("oppvekst", "grant-approver", "matrix-approver-" + Guid.NewGuid().ToString("N")[..8]);
        using var outsiderNav = system.Client("nav", "caseworker", "matrix-nav-probe");

        // Cases: the household, a consent for oppvekst + helse-velferd, and one for nav that expires shortly.
        CaseId = await CaseClient.Open(opener, "Familien Matrise");
        HouseholdId = (await CaseClient.Read(opener, $"/api/cases/{CaseId}")).GetProperty("householdId").GetGuid();
        Mother = (await CaseClient.AddMember(opener, CaseId, "Mona Matrise", "parent", identityNumber: MotherNumber)).GetProperty("personId").GetGuid();
        var child = (await CaseClient.AddMember(opener, CaseId, "Sara Matrise", "child", birthDate: DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-9)))
            .GetProperty("personId").GetGuid();
        ConsentId = await Post(opener, $"/api/cases/{CaseId}/consents", new
        {
            personId = Mother,
            givenByPersonId = Mother,
            sectors = MatrixIdentity.CoveredSectors,
            purposes = Coordination,
            dataCategories = Categories,
        });
        var navConsentEnds = DateTimeOffset.UtcNow.AddSeconds(30);
        await Post(opener, $"/api/cases/{CaseId}/consents", new
        {
            personId = Mother,
            givenByPersonId = Mother,
            sectors = Nav,
            purposes = Coordination,
            dataCategories = Categories,
            validTo = navConsentEnds,
        });
        var goal = await Post(opener, $"/api/cases/{CaseId}/goals", new { text = "Sara trener to ganger i uka.", proposedBy = "family" });
        var need = (await CaseClient.Read(opener, $"/api/cases/{CaseId}")).GetProperty("needs").EnumerateArray().First().GetProperty("id").GetGuid();
        var resource = await Post(opener, $"/api/cases/{CaseId}/resources", new { text = "Mormor kan kjøre.", saidBy = "Mor" });
        (await CaseClient.Move(opener, CaseId, "intake")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await CaseClient.Move(opener, CaseId, "active", "Samtykke er gitt.")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Coordination: helse-velferd and nav join once coordination has heard of the consents; the lead goes to nav.
        foreach (var sector in Joining)
        {
            await Eventually.Get(
                async () => await opener.PostAsJsonAsync($"/api/coordination/cases/{CaseId}/sectors", new { sector }),
                r => r.StatusCode == HttpStatusCode.Created, what: $"{sector} to join");
        }
        var toNav = await Post(opener, $"/api/coordination/cases/{CaseId}/handovers", new { to = LeadSubject, toSector = "nav", note = "NAV følger opp nå." });
        await Eventually.Get(
            async () => await lead.PostAsync($"/api/coordination/cases/{CaseId}/handovers/{toNav}/accept", null),
            r => r.StatusCode == HttpStatusCode.OK, what: "the nav coordinator to accept the lead");
        var measure = await Post(lead, $"/api/coordination/cases/{CaseId}/measures", new
        {
            title = "Fotballtrening",
            responsibleSector = "oppvekst",
            startsOn = Today(1),
            endsOn = Today(200),
            nextReviewOn = Today(30),
        });
        var toReceiver = await Post(lead, $"/api/coordination/cases/{CaseId}/handovers", new { to = ReceiverSubject, toSector = "helse-velferd", note = "Helse kjenner familien." });

        // Grants: two funds, an approved small grant with its disbursement, and a grant waiting for a decision.
        var fund = await Post(approver, "/api/grants/funds", Fund("Matrise-fondet"), idempotent: true);
        OtherFund = await Post(approver, "/api/grants/funds", Fund("Matrise-reserven"), idempotent: true);
        var approved = await Eventually.Get(
            async () => await Send(opener, HttpMethod.Post, $"/api/grants/cases/{CaseId}/grants", GrantRequest(fund, 300), idempotent: true),
            r => r.StatusCode == HttpStatusCode.Created, what: "grants to know the case");
        var approvedId = (await approved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var decision = await Send(opener, HttpMethod.Post, $"/api/grants/grants/{approvedId}/approve", null, idempotent: true);
        decision.StatusCode.ShouldBe(HttpStatusCode.OK, await decision.Content.ReadAsStringAsync());
        var disbursement = (await decision.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("disbursements")[0].GetProperty("id").GetGuid();
        var pending = await Post(opener, $"/api/grants/cases/{CaseId}/grants", GrantRequest(fund, 200), idempotent: true);
        var letters = await Json(opener, $"/api/grants/grants/{approvedId}/letters");
        var letter = letters[0].GetProperty("id").GetGuid();
        var refused = await Post(opener, $"/api/grants/cases/{CaseId}/grants", GrantRequest(fund, 100), idempotent: true);
        (await opener.PostAsJsonAsync($"/api/grants/grants/{refused}/decline", new { reason = "Dekkes av et annet tilbud." })).EnsureSuccessStatusCode();
        // The approved grant's payment leaves in a payment file of the fund (so the disbursement is sent from here on).
        using (var account = await Send(approver, HttpMethod.Put, $"/api/grants/funds/{fund}/debtor-account", new { accountNumber = "8601 11 17947" }))
        {
            account.StatusCode.ShouldBe(HttpStatusCode.OK, await account.Content.ReadAsStringAsync());
        }
        var paymentFile = await Post(approver, $"/api/grants/funds/{fund}/payment-files", new { }, idempotent: true);
        // Received today in Norway, where the letter is dated: never before the decision, whatever the hour in UTC.
        var appeal = await Post(opener, $"/api/grants/grants/{refused}/appeals",
            new { receivedOn = Samskaping.Grants.Letters.NorwegianCalendar.DayOf(DateTimeOffset.UtcNow), appellant = "Mor", text = "Vi trenger pengene." });

        // Outcomes: the baseline measurement, and a gratitude-debt answer that becomes a task for the (nav) lead.
        var schedule = await Eventually.Get(
            async () => await Json(opener, $"/api/outcomes/cases/{CaseId}/schedule"),
            s => s.ValueKind == JsonValueKind.Object && s.GetProperty("measurements").GetArrayLength() > 0, what: "the baseline");
        var measurement = schedule.GetProperty("measurements")[0].GetProperty("id").GetGuid();
        await Eventually.Get(
            async () => await opener.PostAsJsonAsync($"/api/outcomes/cases/{CaseId}/measurements/{measurement}/responses", new
            {
                personId = Mother,
                respondent = "self",
                answers = new object[] { new { itemId = "neg-gratitude-debt", value = 9 } },
            }),
            r => r.StatusCode == HttpStatusCode.Created, what: "outcomes to take the response");
        var work = await Eventually.Get(
            async () => await Json(lead, "/api/coordination/my-work"),
            w => w.ValueKind == JsonValueKind.Object && w.GetProperty("tasks").EnumerateArray().Any(t => t.GetProperty("caseId").GetGuid() == CaseId),
            what: "the lead's task");
        var task = work.GetProperty("tasks").EnumerateArray().First(t => t.GetProperty("caseId").GetGuid() == CaseId).GetProperty("id").GetGuid();

        // Every service has heard of the case, the lead, and the expiry of nav's consent.
        string[] probes =
        [
            $"/api/cases/{CaseId}", $"/api/coordination/cases/{CaseId}", $"/api/grants/cases/{CaseId}",
            $"/api/outcomes/cases/{CaseId}/schedule", $"/api/benefits/cases/{CaseId}", $"/api/benefits/cases/{CaseId}/feed",
        ];
        foreach (var probe in probes)
        {
            await Eventually.True(async () => (await lead.GetAsync(probe)).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(60), $"the lead to see {probe}");
            await Eventually.True(async () => (await outsiderNav.GetAsync(probe)).StatusCode == HttpStatusCode.NotFound, TimeSpan.FromSeconds(60),
                $"nav's consent to have expired for {probe}");
        }

        Set("cases", "id", CaseId);
        Set("cases", "personId", child);
        Set("cases", "goalId", goal);
        Set("cases", "needId", need);
        Set("cases", "resourceId", resource);
        Set("cases", "consentId", ConsentId);
        Set("cases", "householdId", HouseholdId);
        Set("cases", "caseId", CaseId);
        Set("coordination", "caseId", CaseId);
        _values[("coordination", "sector")] = "nav";
        Set("coordination", "measureId", measure);
        Set("coordination", "taskId", task);
        Set("coordination", "handoverId", toReceiver);
        Set("grants", "caseId", CaseId);
        Set("grants", "fundId", fund);
        Set("grants", "grantId", pending);
        Set("grants", "disbursementId", disbursement);
        Set("grants", "letterId", letter);
        Set("cases", "letterId", letter);
        Set("grants", "appealId", appeal);
        Set("grants", "fileId", paymentFile);
        Set("grants", "householdId", HouseholdId);
        Set("outcomes", "caseId", CaseId);
        Set("outcomes", "measurementId", measurement);
        Set("cases", "measurementId", measurement);
        _values[("outcomes", "instrumentId")] = "samskaping-core";
        _values[("outcomes", "version")] = "1";
        Set("benefits", "caseId", CaseId);
        Set("benefits", "householdId", HouseholdId);
    }

    private void Set(string service, string name, Guid value) => _values[(service, name)] = value.ToString();

    public static string Today(int plusDays) => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(plusDays).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static object Fund(string name) => new
    {
        name = $"{name} {Guid.NewGuid().ToString("N")[..6]}",
        owner = FundOwner,
        periodStart = Today(-30),
        periodEnd = Today(300),
        budget = 100000m,
        approvalThreshold = 3000m,
        householdCap = 50000m,
        lowBalanceThreshold = 1000m,
        reportToBenefitSystem = true,
    };

    public static object GrantRequest(Guid fund, decimal amount) => new
    {
        fundId = fund,
        amount,
        purpose = "Fotballsko og treningsavgift.",
        category = "leisure",
        payee = new { kind = "family", name = "Familien Matrise", accountNumber = "1234 56 78903" },
    };

    public static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, object? body, bool idempotent = false)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        if (idempotent)
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        }
        return await client.SendAsync(request);
    }

    private static async Task<Guid> Post(HttpClient client, string path, object body, bool idempotent = false)
    {
        using var response = await Send(client, HttpMethod.Post, path, body, idempotent);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, $"POST {path}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> Json(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonElement>() : default;
    }
}
