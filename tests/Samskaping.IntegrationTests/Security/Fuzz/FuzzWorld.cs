using System.Net.Http.Json;
using System.Text.Json;
using Samskaping.IntegrationTests.Cases;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;

namespace Samskaping.IntegrationTests.Security.Fuzz;

/// <summary>
/// Real resources for the fuzzer to aim at, made through the gateway as the walk-throughs make them: an active case
/// with a member, consent for every sector, a goal, a second sector, a measure, a relay-log entry, a pending
/// handover, a fund, an approved grant with its disbursement and a pending grant, and the baseline measurement. Path
/// parameters are filled from <see cref="Ids"/> by name, so hostile bodies meet existing rows, not only 404s.
/// </summary>
internal sealed class FuzzWorld
{
    private static readonly string[] AllSectors = ["oppvekst", "helse-velferd", "kultur", "nav", "frivillighet"];

    private FuzzWorld(Dictionary<string, string> ids) => Ids = ids;

    /// <summary>A real value per path or body property name (<c>caseId</c>, <c>fundId</c>, <c>personId</c>, …).</summary>
    public IReadOnlyDictionary<string, string> Ids { get; }

    public static async Task<FuzzWorld> Create(SystemFixture system)
    {
        using var kari = system.Client("oppvekst", "caseworker", subject: "kari");
        using var ola = system.Client("oppvekst", "grant-approver", subject: "ola");
        using var hanne = system.Client("helse-velferd", "caseworker", subject: "hanne");

        var caseId = await CaseClient.Open(kari, "Familien Fuzz");
        var person = await CaseClient.AddAdult(kari, caseId, "Mona Fuzz");
        var consent = await CaseClient.Consent(kari, caseId, person, null, AllSectors);
        var goal = (await Expect(kari.PostAsJsonAsync($"/api/cases/{caseId}/goals", new { text = "Ro i hverdagen", proposedBy = "family" }))).GetProperty("id").GetString()!;
        var household = (await CaseClient.Read(kari, $"/api/cases/{caseId}")).GetProperty("householdId").GetString()!;
        foreach (var to in new[] { "intake", "active" })
        {
            await Expect(CaseClient.Move(kari, caseId, to));
        }

        // Coordination learns of the case and the consent over the bus; the second sector may join once it has.
        await SliceTests.EventuallyOk(kari, $"/api/coordination/cases/{caseId}");
        await Eventually.True(async () => (await kari.PostAsJsonAsync($"/api/coordination/cases/{caseId}/sectors", new { sector = "helse-velferd" })).IsSuccessStatusCode,
            what: "helse-velferd to join the case");
        var measure = (await Expect(kari.PostAsJsonAsync($"/api/coordination/cases/{caseId}/measures", new
        {
            title = "Fotballtrening to ganger i uka", responsibleSector = "helse-velferd", startsOn = "2026-12-01", endsOn = "2027-06-30", nextReviewOn = "2027-01-15",
        }))).GetProperty("id").GetString()!;
        await Expect(hanne.PostAsJsonAsync($"/api/coordination/cases/{caseId}/relay-log", new { type = "meeting", text = "Samtale med mor om søvn og skole." }));
        var handover = (await Expect(kari.PostAsJsonAsync($"/api/coordination/cases/{caseId}/handovers", new { to = "hanne", toSector = "helse-velferd", note = "Hanne kjenner familien." })))
            .GetProperty("id").GetString()!;

        var fund = (await Expect(GrantsPost(ola, "/api/grants/funds", new
        {
            name = $"Fritid for alle (fuzz {Guid.NewGuid():N})", owner = "oppvekst", periodStart = "2026-01-01", periodEnd = "2027-01-01",
            budget = 100000, approvalThreshold = 3000, householdCap = 15000, lowBalanceThreshold = 100, reportToBenefitSystem = false,
        }))).GetProperty("id").GetString()!;
        await SliceTests.EventuallyOk(kari, $"/api/grants/cases/{caseId}");
        var approved = (await Expect(GrantsPost(kari, $"/api/grants/cases/{caseId}/grants", GrantRequest(fund, 450)))).GetProperty("id").GetString()!;
        var disbursement = (await Expect(GrantsPost(kari, $"/api/grants/grants/{approved}/approve", null)))
            .GetProperty("disbursements")[0].GetProperty("id").GetString()!;
        var pending = (await Expect(GrantsPost(kari, $"/api/grants/cases/{caseId}/grants", GrantRequest(fund, 300)))).GetProperty("id").GetString()!;
        var letter = (await Expect(kari.GetAsync($"/api/grants/grants/{approved}/letters")))[0].GetProperty("id").GetString()!;
        var refused = (await Expect(GrantsPost(kari, $"/api/grants/cases/{caseId}/grants", GrantRequest(fund, 200)))).GetProperty("id").GetString()!;
        await Expect(kari.PostAsJsonAsync($"/api/grants/grants/{refused}/decline", new { reason = "Dekkes av et annet tilbud." }));
        var appeal = (await Expect(kari.PostAsJsonAsync($"/api/grants/grants/{refused}/appeals", new
        {
            receivedOn = Samskaping.Grants.Letters.NorwegianCalendar.DayOf(DateTimeOffset.UtcNow), appellant = "Mor", text = "Vi trenger pengene.",
        }))).GetProperty("id").GetString()!;
        await Expect(ola.PutAsJsonAsync($"/api/grants/funds/{fund}/debtor-account", new { accountNumber = "8601 11 17947" }));
        var paymentFile = (await Expect(GrantsPost(ola, $"/api/grants/funds/{fund}/payment-files", new { }))).GetProperty("id").GetString()!;

        var schedule = await SliceTests.EventuallyOk(kari, $"/api/outcomes/cases/{caseId}/schedule", s => s.GetProperty("measurements").GetArrayLength() > 0);
        var measurement = schedule.GetProperty("measurements")[0].GetProperty("id").GetString()!;
        await SliceTests.EventuallyOk(kari, $"/api/benefits/cases/{caseId}");

        var ids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["id"] = caseId.ToString(),
            ["caseId"] = caseId.ToString(),
            ["personId"] = person.ToString(),
            ["givenByPersonId"] = person.ToString(),
            ["consentId"] = consent.ToString(),
            ["goalId"] = goal,
            ["householdId"] = household,
            ["measureId"] = measure,
            ["handoverId"] = handover,
            ["taskId"] = Guid.CreateVersion7().ToString(),
            ["sector"] = "helse-velferd",
            ["fundId"] = fund,
            ["toFundId"] = fund,
            ["grantId"] = pending,
            ["disbursementId"] = disbursement,
            ["letterId"] = letter,
            ["appealId"] = appeal,
            ["fileId"] = paymentFile,
            ["measurementId"] = measurement,
            ["instrumentId"] = "samskaping-core",
            ["version"] = "1",
        };
        return new FuzzWorld(ids);
    }

    private static object GrantRequest(string fund, decimal amount) => new
    {
        fundId = fund,
        amount,
        purpose = "Fotballsko og treningsavgift.",
        category = "leisure",
        payee = new { kind = "family", name = "Familien Fuzz", accountNumber = "1234 56 78903" },
    };

    private static Task<HttpResponseMessage> GrantsPost(HttpClient client, string path, object? body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return client.SendAsync(request);
    }

    private static async Task<JsonElement> Expect(Task<HttpResponseMessage> call)
    {
        var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Setting up the fuzzer's data failed: {(int)response.StatusCode} {response.RequestMessage?.RequestUri} {text}");
        }
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
