using System.Net.Http.Headers;
using System.Net.Http.Json;
using Samskaping.IntegrationTests.Cases;

namespace Samskaping.IntegrationTests.Security.Matrix;

/// <summary>
/// A request for one operation of the catalogue against the scene's data: its path filled in, the query parameters
/// it needs, a valid body (so that authorization, not validation, decides the answer), a fresh Idempotency-Key where
/// the document asks for one, and the caller's token.
/// </summary>
public static class MatrixRequest
{
    public static HttpRequestMessage Create(ApiOperation operation, IReadOnlyDictionary<string, string> pathValues, MatrixScene scene, string? token)
    {
        var path = operation.Path(pathValues);
        var query = operation.Parameters
            .Where(x => x.In == "query" && (x.Required || NeededQuery.Contains((operation.Key, x.Name))))
            .Select(x => $"{x.Name}={Uri.EscapeDataString(QueryValue(x.Name))}").ToList();
        if (query.Count > 0)
        {
            path += "?" + string.Join('&', query);
        }
        var request = new HttpRequestMessage(new HttpMethod(operation.Method), path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (operation.TakesIdempotencyKey)
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        }
        var body = Body(operation.Key, scene);
        if (body is not null)
        {
            request.Content = body as HttpContent ?? JsonContent.Create(body);
        }
        else if (operation.Body is { Required: true })
        {
            request.Dispose();
            throw new InvalidOperationException($"No example body for {operation.Key}: add one to {nameof(MatrixRequest)}.{nameof(Body)}.");
        }
        return request;
    }

    /// <summary>Query parameters an operation needs although its document does not mark them required.</summary>
    private static readonly HashSet<(string Key, string Name)> NeededQuery = [("GET /api/outcomes/overdue", "sector")];

    private static string QueryValue(string name) => name switch
    {
        "sector" => "oppvekst",
        "by" => "sector",
        "state" => "invalid",
        _ => throw new InvalidOperationException($"No value for the required query parameter {name}."),
    };

    /// <summary>A valid body per operation, so that authorization, not validation, decides the answer.</summary>
    private static object? Body(string key, MatrixScene scene) => key switch
    {
        "POST /api/cases" => new { householdName = "Familien Matrise", need = new { text = "Vi trenger hjelp med lekser.", saidBy = "Mor" } },
        "POST /api/cases/{id}/status" => new { to = "closing", reason = "Målet er nådd." },
        "POST /api/cases/{id}/needs" or "POST /api/cases/{id}/resources" => new { text = "Mormor kan kjøre til trening.", saidBy = "Mor" },
        "POST /api/cases/{id}/goals" => new { text = "Sara går på trening hver uke.", proposedBy = "family" },
        "POST /api/cases/{id}/goals/{goalId}/status" => new { status = "achieved" },
        "POST /api/cases/{id}/members" => new { name = "Per Matrise", role = "parent", identityNumber = IdentityNumbers.Adult() },
        "POST /api/cases/{id}/members/{personId}/guardians" => new { guardianId = scene.Mother },
        "POST /api/cases/persons/lookup" => new { identityNumber = scene.MotherNumber },
        "POST /api/cases/persons/access-log" => new { identityNumber = scene.MotherNumber },
        "POST /api/cases/{id}/consents" => new
        {
            personId = scene.Mother,
            givenByPersonId = scene.Mother,
            sectors = new[] { "oppvekst" },
            purposes = new[] { "coordination" },
            dataCategories = new[] { "needs" },
        },
        "POST /api/cases/{id}/consents/{consentId}/withdrawal" => new { reason = "Mor trekker samtykket." },
        "POST /api/cases/citizen/cases/{caseId}/consents" => new
        {
            personId = scene.Mother,
            sectors = new[] { "oppvekst" },
            purposes = new[] { "coordination" },
            dataCategories = new[] { "needs" },
        },
        "POST /api/cases/citizen/cases/{caseId}/consents/{consentId}/withdraw" => new { reason = "Mor trekker samtykket selv." },
        _ when key.Contains("/admin/messaging/", StringComparison.Ordinal) && key.StartsWith("POST ", StringComparison.Ordinal) =>
            new { reason = "Matrisen: ingenting å gjøre." },
        "POST /api/cases/{id}/household/corrections" => new { name = "Familien Matrise", reason = "Navnet var feilstavet." },
        "POST /api/cases/{id}/members/{personId}/corrections" => new { name = "Sara M. Matrise", reason = "Mellomnavnet manglet." },
        "POST /api/cases/{id}/needs/{needId}/corrections" or "POST /api/cases/{id}/resources/{resourceId}/corrections"
            or "POST /api/cases/{id}/goals/{goalId}/corrections" => new { text = "Rettet: " + Guid.NewGuid().ToString("N")[..6], reason = "Familien rettet ordlyden." },
        "POST /api/cases/{id}/legal-hold" or "POST /api/cases/{id}/legal-hold/lift" or "POST /api/cases/{id}/erasure" => new { reason = "Matrise." },
        "POST /internal/cases/persons/resolve" => new { identityNumbers = new[] { scene.MotherNumber } },
        "POST /api/coordination/sectors" => new { code = "matrix-" + Guid.NewGuid().ToString("N")[..6], name = "Matrisetjenesten" },
        "POST /api/coordination/cases/{caseId}/sectors" => new { sector = "helse-velferd" },
        "POST /api/coordination/cases/{caseId}/relay-log" => new { type = "note", confidentiality = "ordinary", text = "Kort samtale med mor." },
        "POST /api/coordination/cases/{caseId}/measures" => new
        {
            title = "Leksehjelp",
            responsibleSector = "oppvekst",
            startsOn = MatrixScene.Today(1),
            endsOn = MatrixScene.Today(100),
            nextReviewOn = MatrixScene.Today(20),
        },
        "POST /api/coordination/cases/{caseId}/measures/{measureId}/evaluations" => new { helped = "partly", familyWords = "Det hjelper litt.", nextReviewOn = MatrixScene.Today(40) },
        "PUT /api/coordination/cases/{caseId}/bti-level" => new { level = 2, reason = "Flere tjenester samarbeider." },
        "POST /api/coordination/cases/{caseId}/handovers" => new { to = scene.ReceiverSubject, toSector = "helse-velferd", note = "Ny stafettholder." },
        "POST /api/coordination/cases/{caseId}/handovers/{handoverId}/decline" => new { reason = "Jeg har ikke kapasitet nå." },
        "POST /api/grants/funds" => MatrixScene.Fund("Matrise-nytt"),
        "POST /api/grants/funds/{fundId}/top-ups" => new { amount = 10m, note = "tillegg" },
        "POST /api/grants/funds/{fundId}/reallocations" => new { toFundId = scene.OtherFund, amount = 1m, reason = "omfordeling" },
        "POST /api/grants/cases/{caseId}/grants" => MatrixScene.GrantRequest(Guid.Parse(scene.PathValues("grants")["fundId"]), 50m),
        "POST /api/grants/grants/{grantId}/decline" => new { reason = "Dekkes av et annet tilbud." },
        "PUT /api/grants/cases/{caseId}/letter-language" => new { language = "nn" },
        "PUT /api/grants/funds/{fundId}/debtor-account" => new { accountNumber = "8601 11 17947" },
        "POST /api/grants/funds/{fundId}/payment-files" => new { },
        // XML, but not a bank's file: an allowed caller gets the 422 that names it, after access has been decided.
        "POST /api/grants/funds/{fundId}/bank-answers" => new StringContent("<Document/>", System.Text.Encoding.UTF8, "application/xml"),
        "PUT /api/grants/funds/{fundId}/legal-basis" => new { legalBasis = "kommunens retningslinjer for Matrise-fondet" },
        "POST /api/grants/grants/{grantId}/appeals" => new { receivedOn = MatrixScene.Today(0), appellant = "Mor", text = "Vi trenger pengene." },
        "POST /api/grants/appeals/{appealId}/reverse" => new { reason = "Klagen viser at behovet er der." },
        "POST /api/grants/appeals/{appealId}/outcome" => new { outcome = "upheld", decidedOn = MatrixScene.Today(0) },
        "POST /api/grants/disbursements/{disbursementId}/paid" => new { paidOn = MatrixScene.Today(0), paymentReference = "UTB-MATRISE-1" },
        "POST /api/grants/disbursements/{disbursementId}/stop" or "POST /api/grants/disbursements/{disbursementId}/cancel" => new { reason = "Familien trenger det ikke lenger." },
        "POST /api/outcomes/cases/{caseId}/measurements/{measurementId}/responses" => new
        {
            personId = scene.Mother,
            respondent = "worker-with-person",
            answers = new object[] { new { itemId = "life-satisfaction", value = 6 } },
        },
        "POST /api/cases/citizen/cases/{caseId}/measurements/{measurementId}/responses" => new
        {
            shareWithLead = false,
            answers = new object[] { new { itemId = "life-satisfaction", value = 6 } },
        },
        "POST /api/benefits/inbound" => new { eventId = Guid.NewGuid().ToString(), personIdent = scene.MotherNumber, benefit = "økonomisk sosialhjelp", status = "granted", occurredAt = DateTimeOffset.UtcNow },
        _ when key.StartsWith("POST /internal/", StringComparison.Ordinal) && key.EndsWith("/access-log/query", StringComparison.Ordinal) =>
            new { personId = scene.Mother, caseIds = new[] { scene.CaseId }, limit = 10 },
        _ when key.StartsWith("POST /internal/", StringComparison.Ordinal) && key.EndsWith("/person-export", StringComparison.Ordinal) =>
            new { personId = scene.Mother, caseIds = new[] { scene.CaseId } },
        _ when key.StartsWith("POST /internal/outcomes/citizen/", StringComparison.Ordinal) =>
            new { caseId = scene.CaseId, people = new[] { new { personId = scene.Mother, respondent = "self" } }, reader = "matrix-citizen" },
        _ when key.StartsWith("POST /internal/", StringComparison.Ordinal) && key.Contains("/citizen/", StringComparison.Ordinal) =>
            new { caseId = scene.CaseId, personIds = new[] { scene.Mother }, reader = "matrix-citizen", ownHousehold = true, letterId = Guid.Parse(scene.PathValues("grants")["letterId"]) },
        _ => null,
    };
}
