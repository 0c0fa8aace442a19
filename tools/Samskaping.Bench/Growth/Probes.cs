using System.Net.Http.Json;
using System.Text.Json;
using Samskaping.Bench.SystemUnderTest;

namespace Samskaping.Bench.Growth;

/// <summary>One probe case made through the API: the case, its guardian (the person whose history is read) and a search word.</summary>
public sealed record Probe(Guid CaseId, Guid GuardianId, string Surname);

/// <summary>
/// The cases the growth benchmark reads, made through the gateway as a caseworker would make them (so every service
/// holds its own rows about them), then read a few times by the opening sector (so every service's access log has
/// rows about them). They are also the template the filler is cloned from (<see cref="Filler"/>).
/// </summary>
public static class Probes
{
    public const string Opener = "growth-opener";

    public static async Task<IReadOnlyList<Probe>> Create(BenchSystem system, int count, CancellationToken ct)
    {
        using var worker = BenchSystem.Client(system.Gateway, system.Token("oppvekst", "caseworker", Opener));
        using var reader = BenchSystem.Client(system.Gateway, system.Token("oppvekst", "caseworker", "growth-reader"));
        using var approver = BenchSystem.Client(system.Gateway, system.Token("oppvekst", "grant-approver", "growth-approver"));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var fund = (await Post(approver, "api/grants/funds", new
        {
            name = $"Vekstfond {Guid.NewGuid():N}",
            owner = "oppvekst",
            periodStart = today.AddYears(-1),
            periodEnd = today.AddYears(1),
            budget = 10_000_000m,
            approvalThreshold = 5_000m,
            householdCap = 1_000_000m,
            lowBalanceThreshold = 1_000m,
            reportToBenefitSystem = false,
        }, ct, idempotent: true)).GetProperty("id").GetGuid();
        var probes = new List<Probe>();
        for (var i = 0; i < count; i++)
        {
            // A surname no filler row can contain (filler names are "Fyll <n>"), so a name search finds the probe only.
            var surname = $"Vekstprøve{(char)('a' + i % 26)}{i}";
            var opened = await Post(worker, "api/cases", new
            {
                householdName = $"Familien {surname}",
                need = new { text = "Vi trenger hjelp til at barna kan delta i fritidsaktiviteter.", saidBy = "Mor" },
            }, ct);
            var caseId = opened.GetProperty("id").GetGuid();
            var guardian = await Post(worker, $"api/cases/{caseId}/members",
                new { name = $"Mona {surname}", role = "guardian", birthDate = "1985-04-15" }, ct);
            await Post(worker, $"api/cases/{caseId}/members", new { name = $"Sara {surname}", role = "child", birthDate = "2015-06-02" }, ct);
            await Post(worker, $"api/cases/{caseId}/resources", new { text = "Bestemor henter på trening.", saidBy = "Mor" }, ct);
            await Post(worker, $"api/coordination/cases/{caseId}/relay-log", new { type = "note", text = "Første samtale med mor." }, ct);
            await WaitUntilKnown(worker, $"api/grants/cases/{caseId}", ct);
            var grant = await Post(worker, $"api/grants/cases/{caseId}/grants", new
            {
                fundId = fund,
                amount = 1_500m + i,
                purpose = "Treningsavgift og utstyr, så Sara kan spille fotball.",
                category = "leisure",
                payee = new { kind = "family", name = $"Familien {surname}", accountNumber = "12345678903" },
            }, ct, idempotent: true);
            await Post(worker, $"api/grants/grants/{grant.GetProperty("id").GetGuid()}/approve", null, ct, idempotent: true);
            foreach (var path in new[] { $"api/cases/{caseId}", $"api/cases/{caseId}/timeline?limit=20", $"api/cases/{caseId}", $"api/coordination/cases/{caseId}/relay-log" })
            {
                using var read = await reader.GetAsync(path, ct);
                await Ensure(read, $"GET {path}", ct);
            }
            probes.Add(new Probe(caseId, guardian.GetProperty("personId").GetGuid(), surname));
        }
        return probes;
    }

    private static async Task<JsonElement> Post(HttpClient client, string path, object? body, CancellationToken ct, bool idempotent = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (idempotent)
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        }
        using var response = await client.SendAsync(request, ct);
        await Ensure(response, $"POST {path}", ct);
        return response.Content.Headers.ContentLength == 0 ? default : await response.Content.ReadFromJsonAsync<JsonElement>(ct);
    }

    /// <summary>Grants learns of a case from CaseOpened, a moment after it was opened.</summary>
    private static async Task WaitUntilKnown(HttpClient client, string path, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            using var response = await client.GetAsync(path, ct);
            if (response.IsSuccessStatusCode)
            {
                return;
            }
            await Task.Delay(100, ct);
        }
        throw new InvalidOperationException($"GET {path} did not succeed within 30 s");
    }

    public static async Task Ensure(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        }
    }
}
