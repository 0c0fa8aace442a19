using System.Net.Http.Json;
using System.Text.Json;
using Samskaping.Bench.SystemUnderTest;
using Samskaping.ServiceDefaults;

namespace Samskaping.Bench.Growth;

/// <summary>
/// One probe case made through the API: the case, its guardian (the person whose history is read), the other parent
/// and a search word.
/// </summary>
public sealed record Probe(Guid CaseId, Guid GuardianId, Guid ParentId, string Surname)
{
    public Guid Adult(int adult) => adult == 0 ? GuardianId : ParentId;
}

/// <summary>
/// The cases the growth benchmark reads, made through the gateway as a caseworker would make them (so every service
/// holds its own rows about them), then read a few times by the opening sector (so every service's access log has
/// rows about them). They are also the template the filler is cloned from (<see cref="Filler"/>). Each is an active
/// case whose two adults consented and answered their outcome questionnaires, with two approved grants, one paid
/// (<see cref="ProbeAnswers"/>).
/// </summary>
public static class Probes
{
    public const string Opener = "growth-opener";

    private static readonly string[] ConsentSectors = ["oppvekst"];
    private static readonly string[] ConsentPurposes = ["coordination", "grants", "outcome-measurement"];
    private static readonly string[] ConsentCategories = ["needs", "family", "economy"];

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
        var mothers = IdentityNumbers(new DateOnly(1985, 4, 15)).GetEnumerator();
        var fathers = IdentityNumbers(new DateOnly(1983, 9, 20)).GetEnumerator();
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
            var guardian = (await Post(worker, $"api/cases/{caseId}/members",
                new { name = $"Mona {surname}", role = "guardian", identityNumber = Next(mothers) }, ct)).GetProperty("personId").GetGuid();
            var parent = (await Post(worker, $"api/cases/{caseId}/members",
                new { name = $"Per {surname}", role = "parent", identityNumber = Next(fathers) }, ct)).GetProperty("personId").GetGuid();
            await Post(worker, $"api/cases/{caseId}/members", new { name = $"Sara {surname}", role = "child", birthDate = "2015-06-02" }, ct);
            // Each adult's own consent, the measurement of outcomes among its purposes: a case becomes active only with one.
            foreach (var person in new[] { guardian, parent })
            {
                await Post(worker, $"api/cases/{caseId}/consents", new
                {
                    personId = person,
                    givenByPersonId = person,
                    sectors = ConsentSectors,
                    purposes = ConsentPurposes,
                    dataCategories = ConsentCategories,
                }, ct);
            }
            await Post(worker, $"api/cases/{caseId}/resources", new { text = "Bestemor henter på trening.", saidBy = "Mor" }, ct);
            await Post(worker, $"api/coordination/cases/{caseId}/relay-log", new { type = "note", text = "Første samtale med mor." }, ct);
            foreach (var to in new[] { "intake", "active" })
            {
                await Post(worker, $"api/cases/{caseId}/status", new { to, reason = "Familien har takket ja til hjelp." }, ct);
            }
            await WaitUntilKnown(worker, $"api/grants/cases/{caseId}", ct);
            var paid = await Grant(worker, caseId, fund, 1_500m + i, "Treningsavgift og utstyr, så Sara kan spille fotball.", "leisure", surname, ct);
            var disbursement = paid.GetProperty("disbursements").EnumerateArray().Single().GetProperty("id").GetGuid();
            await Post(worker, $"api/grants/disbursements/{disbursement}/paid",
                new { paidOn = today, paymentReference = $"UTB-VEKST-{i}" }, ct, idempotent: true);
            await Grant(worker, caseId, fund, 800m + i, "Skolesekk og gymtøy til skolestart.", "school", surname, ct);
            foreach (var path in new[] { $"api/cases/{caseId}", $"api/cases/{caseId}/timeline?limit=20", $"api/cases/{caseId}", $"api/coordination/cases/{caseId}/relay-log" })
            {
                using var read = await reader.GetAsync(path, ct);
                await Ensure(read, $"GET {path}", ct);
            }
            probes.Add(new Probe(caseId, guardian, parent, surname));
        }
        await Answer(worker, probes, ct);
        return probes;
    }

    /// <summary>A grant requested and approved by the caseworker alone (under the fund's threshold); the approved grant.</summary>
    private static async Task<JsonElement> Grant(
        HttpClient worker, Guid caseId, Guid fund, decimal amount, string purpose, string category, string surname, CancellationToken ct)
    {
        var grant = await Post(worker, $"api/grants/cases/{caseId}/grants", new
        {
            fundId = fund,
            amount,
            purpose,
            category,
            payee = new { kind = "family", name = $"Familien {surname}", accountNumber = "12345678903" },
        }, ct, idempotent: true);
        return await Post(worker, $"api/grants/grants/{grant.GetProperty("id").GetGuid()}/approve", null, ct, idempotent: true);
    }

    /// <summary>
    /// Waits until outcomes has scheduled each probe's baseline and follow-ups (from the case becoming active) and
    /// records the answers <see cref="ProbeAnswers"/> plans, as a worker together with each adult.
    /// </summary>
    private static async Task Answer(HttpClient worker, List<Probe> probes, CancellationToken ct)
    {
        for (var i = 0; i < probes.Count; i++)
        {
            var probe = probes[i];
            var measurements = await OpenMeasurements(worker, probe.CaseId, ct);
            foreach (var planned in ProbeAnswers.For(i))
            {
                await Post(worker, $"api/outcomes/cases/{probe.CaseId}/measurements/{measurements[planned.Point]}/responses", new
                {
                    personId = probe.Adult(planned.Adult),
                    respondent = "worker-with-person",
                    answers = planned.Answers.Select(a => new { itemId = a.Key, value = a.Value }).ToArray(),
                }, ct);
            }
        }
    }

    /// <summary>The case's measurements by point (0 the baseline, else the follow-up's month), once all of them are open for answers.</summary>
    private static async Task<Dictionary<int, Guid>> OpenMeasurements(HttpClient worker, Guid caseId, CancellationToken ct)
    {
        var path = $"api/outcomes/cases/{caseId}/schedule";
        for (var attempt = 0; attempt < 300; attempt++)
        {
            using var response = await worker.GetAsync(path, ct);
            if (response.IsSuccessStatusCode)
            {
                var open = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("measurements").EnumerateArray()
                    .Where(m => m.GetProperty("opensAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow)
                    .ToDictionary(
                        m => m.GetProperty("offsetMonths").ValueKind == JsonValueKind.Number ? m.GetProperty("offsetMonths").GetInt32() : 0,
                        m => m.GetProperty("id").GetGuid());
                if (ProbeAnswers.FollowUpMonths.Prepend(0).All(open.ContainsKey))
                {
                    return open;
                }
            }
            await Task.Delay(100, ct);
        }
        throw new InvalidOperationException(
            $"GET {path}: the baseline and the follow-ups at {string.Join(", ", ProbeAnswers.FollowUpMonths)} months were not all open within 30 s");
    }

    /// <summary>Synthetic identity numbers with valid check digits for one birth date, each once (individual numbers 000–499: born 1900–1999).</summary>
    private static IEnumerable<string> IdentityNumbers(DateOnly birth)
    {
        for (var individual = 0; individual < 500; individual++)
        {
            if (IdentityNumber.WithCheckDigits(FormattableString.Invariant($"{birth.Day:00}{birth.Month:00}{birth.Year % 100:00}{individual:000}")) is { } number)
            {
                yield return number;
            }
        }
    }

    private static string Next(IEnumerator<string> numbers) =>
        numbers.MoveNext() ? numbers.Current : throw new InvalidOperationException("more probes than synthetic identity numbers for one birth date");

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
