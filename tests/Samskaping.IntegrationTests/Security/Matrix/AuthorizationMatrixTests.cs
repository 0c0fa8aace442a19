using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Samskaping.IntegrationTests.Cases;
using Samskaping.IntegrationTests.EndToEnd;
using Shouldly;
using Xunit;
using Xunit.Abstractions;

namespace Samskaping.IntegrationTests.Security.Matrix;

/// <summary>
/// Object-, property- and function-level authorization (OWASP API1, API5) proven over the whole public API: every
/// operation the services document, called through the gateway by every role × sector and the odd tokens, against
/// data that belongs to one sector, compared with the declared table (<c>policy-table.md</c>).
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class AuthorizationMatrixTests(SystemFixture system, ITestOutputHelper output)
{
    /// <summary>
    /// Changes that move who sees the case or who leads it: called last, by one allowed caller each, after every
    /// denial has been checked, in this order.
    /// </summary>
    private static readonly string[] Closing =
    [
        "POST /api/coordination/cases/{caseId}/handovers/{handoverId}/decline",
        "POST /api/coordination/cases/{caseId}/handovers/{handoverId}/cancel",
        "POST /api/coordination/cases/{caseId}/handovers/{handoverId}/accept",
        "DELETE /api/coordination/cases/{caseId}/sectors/{sector}",
        "POST /api/cases/{id}/status",
        "POST /api/cases/{id}/consents/{consentId}/withdrawal",
    ];

    [Fact]
    public async Task Every_operation_has_exactly_one_row_in_the_policy_table_and_the_docs_copy_is_the_table()
    {
        var table = PolicyTable.Load();
        var catalogue = await ApiCatalogue.Load(system);
        var keys = catalogue.Operations.Select(o => o.Key).ToHashSet(StringComparer.Ordinal);

        catalogue.Operations.Where(o => !table.Rows.ContainsKey(o.Key)).Select(o => o.Key)
            .ShouldBeEmpty("operations without a row in Security/Matrix/policy-table.md");
        table.Rows.Keys.Where(k => !keys.Contains(k))
            .ShouldBeEmpty("rows of the policy table naming operations the services no longer document");
        File.Exists(PolicyTable.DocPath).ShouldBeTrue($"{PolicyTable.DocPath} is missing");
        File.ReadAllText(PolicyTable.DocPath).ReplaceLineEndings().ShouldBe(table.Text.ReplaceLineEndings(),
            "docs/authorization-matrix.md must be a copy of tests/Samskaping.IntegrationTests/Security/Matrix/policy-table.md");
    }

    [Fact]
    public async Task Every_operation_answers_every_caller_as_the_policy_table_declares()
    {
        var table = PolicyTable.Load();
        var catalogue = await ApiCatalogue.Load(system);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var scene = await MatrixScene.Create(system);
        output.WriteLine($"The scene was set up in {clock.Elapsed.TotalSeconds:F0} s.");
        clock.Restart();
        var identities = MatrixIdentity.All(scene);
        using var gateway = system.Anonymous();
        var calls = new ConcurrentBag<Call>();

        var operations = catalogue.Operations.Where(o => table.Rows.ContainsKey(o.Key)).ToList();
        var plan = operations
            .SelectMany(o => identities.Select(i => new Planned(o, i, Expectation.For(table.Rows[o.Key], i, scene.PathSector))))
            .ToList();
        var options = new ParallelOptions { MaxDegreeOfParallelism = 8 };

        // Reads by everyone, and changes by everyone the table denies: none of these may change anything.
        var safe = plan.Where(p => p.Operation.Method == "GET" || p.Expected != Expectation.Allowed).ToList();
        await Parallel.ForEachAsync(safe, options, async (p, _) => calls.Add(await Run(gateway, scene, p)));

        // Changes by the allowed callers, after every denial was checked, so one change can't hide another's refusal.
        var changes = plan.Where(p => p.Operation.Method != "GET" && p.Expected == Expectation.Allowed).ToList();
        foreach (var group in changes.Where(p => !Closing.Contains(p.Operation.Key)).GroupBy(p => p.Operation.Key))
        {
            foreach (var p in group)
            {
                calls.Add(await Run(gateway, scene, p));
            }
        }
        foreach (var key in Closing)
        {
            var allowed = changes.Where(p => p.Operation.Key == key).ToList();
            var one = allowed.FirstOrDefault(p => p.Identity.IsLead || p.Identity.IsReceiver) ?? allowed.FirstOrDefault();
            if (one is not null)
            {
                calls.Add(await Run(gateway, scene, one));
            }
        }

        var mismatches = calls.Where(c => c.Got != c.Planned.Expected)
            .OrderBy(c => c.Planned.Operation.Key, StringComparer.Ordinal).ThenBy(c => c.Planned.Identity.Name, StringComparer.Ordinal)
            .ToList();
        foreach (var m in mismatches)
        {
            output.WriteLine(m.ToString());
        }
        output.WriteLine($"{calls.Count} calls over {operations.Count} operations and {identities.Count} callers in {clock.Elapsed.TotalSeconds:F0} s; {mismatches.Count} mismatches.");

        var unexpectedAllows = mismatches.Where(m => m.Got == Expectation.Allowed).ToList();
        unexpectedAllows.ShouldBeEmpty("unexpected allows:\n" + string.Join('\n', unexpectedAllows));
        mismatches.ShouldBeEmpty("answers that differ from the policy table:\n" + string.Join('\n', mismatches));
        calls.Count.ShouldBeGreaterThan(operations.Count * PolicyTable.StaffRoles.Length * MatrixIdentity.Sectors.Length / 2);
    }

    private static async Task<Call> Run(HttpClient gateway, MatrixScene scene, Planned p)
    {
        var operation = p.Operation;
        var path = operation.Path(scene.PathValues(operation));
        var query = operation.Parameters
            .Where(x => x.In == "query" && (x.Required || NeededQuery.Contains((operation.Key, x.Name))))
            .Select(x => $"{x.Name}={Uri.EscapeDataString(QueryValue(x.Name))}").ToList();
        if (query.Count > 0)
        {
            path += "?" + string.Join('&', query);
        }
        using var request = new HttpRequestMessage(new HttpMethod(operation.Method), path);
        if (p.Identity.Token is { } token)
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
            request.Content = JsonContent.Create(body);
        }
        else if (operation.Body is { Required: true })
        {
            throw new InvalidOperationException($"No example body for {operation.Key}: add one to {nameof(AuthorizationMatrixTests)}.{nameof(Body)}.");
        }
        using var response = await gateway.SendAsync(request);
        var got = Expectation.Classify((int)response.StatusCode);
        return new Call(p, got, (int)response.StatusCode, got == p.Expected ? "" : Shorten(await response.Content.ReadAsStringAsync()));
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
        "POST /api/cases/{id}/consents" => new
        {
            personId = scene.Mother,
            givenByPersonId = scene.Mother,
            sectors = new[] { "oppvekst" },
            purposes = new[] { "coordination" },
            dataCategories = new[] { "needs" },
        },
        "POST /api/cases/{id}/consents/{consentId}/withdrawal" => new { reason = "Mor trekker samtykket." },
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
        "POST /api/grants/disbursements/{disbursementId}/paid" => new { paidOn = MatrixScene.Today(0), paymentReference = "UTB-MATRISE-1" },
        "POST /api/grants/disbursements/{disbursementId}/stop" or "POST /api/grants/disbursements/{disbursementId}/cancel" => new { reason = "Familien trenger det ikke lenger." },
        "POST /api/outcomes/cases/{caseId}/measurements/{measurementId}/responses" => new
        {
            personId = scene.Mother,
            respondent = "worker-with-person",
            answers = new object[] { new { itemId = "life-satisfaction", value = 6 } },
        },
        "POST /api/benefits/inbound" => new { eventId = Guid.NewGuid().ToString(), personIdent = scene.MotherNumber, benefit = "økonomisk sosialhjelp", status = "granted", occurredAt = DateTimeOffset.UtcNow },
        _ when key.StartsWith("POST /internal/", StringComparison.Ordinal) && key.EndsWith("/access-log/query", StringComparison.Ordinal) =>
            new { personId = scene.Mother, caseIds = new[] { scene.CaseId }, limit = 10 },
        _ => null,
    };

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private sealed record Planned(ApiOperation Operation, MatrixIdentity Identity, int Expected);

    private sealed record Call(Planned Planned, int Got, int Status, string Body)
    {
        public override string ToString() =>
            $"{Planned.Operation.Key} | {Planned.Identity.Name} | expected {Expectation.Describe(Planned.Expected)} | got {Status}{(Body.Length > 0 ? " " + Body : "")}";
    }
}
