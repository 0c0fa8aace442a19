using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Samskaping.Chaos;

/// <summary>
/// The writes of a kind the workload sends without an Idempotency-Key (coordination and outcomes take none): sent
/// again only when the connection was refused, so each request takes effect at most once, and one that got no
/// verdict (no answer, or a 5xx) may or may not have.
/// </summary>
internal sealed class Writes
{
    public ConcurrentDictionary<Guid, byte> Accepted { get; } = new();

    /// <summary>Requests answered neither 2xx nor 4xx: the only ones that may have left a row no client knows of.</summary>
    public int Unsettled;
}

/// <summary>One person's answer to one measurement: outcomes takes it once (a second is 409).</summary>
internal sealed record ResponseSlot(Guid CaseId, Guid MeasurementId, Guid PersonId);

/// <summary>
/// The coordination and outcomes part of the load: relay-log entries and measures on the cases' coordination
/// groups, and answers to the measurements outcomes scheduled when the cases became active.
/// </summary>
internal sealed partial class Workload
{
    private static readonly string[] ConsentSectors = ["oppvekst"];
    private static readonly string[] ConsentPurposes = ["coordination", "grants", "outcome-measurement"];
    private static readonly string[] ConsentCategories = ["needs", "family"];
    private readonly ConcurrentQueue<ResponseSlot> _responseSlots = new();

    public Writes RelayEntries { get; } = new();
    public Writes Measures { get; } = new();
    public Writes Responses { get; } = new();

    /// <summary>At least one relay-log entry, measure and response got a 2xx, so none of their checks is empty.</summary>
    public bool EveryKindAccepted => !RelayEntries.Accepted.IsEmpty && !Measures.Accepted.IsEmpty && !Responses.Accepted.IsEmpty;

    private Uri Coordination => _run.Api("coordination");
    private Uri Outcomes => _run.Api("outcomes");

    /// <summary>
    /// Makes the cases known to coordination and outcomes with something to answer: two adults in each household,
    /// each with a consent, and each case made active, then waits until coordination has each case's group and outcomes each case's
    /// schedule (baseline and follow-ups); every measurement open for answers × adult becomes one response to send later, in a
    /// seeded order. Null when done, else what failed.
    /// </summary>
    public async Task<string?> PrepareCaseWork(IReadOnlyList<Guid> cases, TimeSpan timeout)
    {
        var people = new Dictionary<Guid, List<Guid>>();
        foreach (var caseId in cases)
        {
            people[caseId] = [];
            for (var i = 0; i < 2; i++)
            {
                if (await AddMember(caseId, $"Voksen Chaos {_run.Seed}-{i}", IdentityNumbers.Adult(_run.Random)) is { } person
                    && await Consent(caseId, person))
                {
                    people[caseId].Add(person);
                }
            }
            if (people[caseId].Count == 0)
            {
                return $"case {caseId}: no adult with a consent could be added";
            }
            if (!await Activate(caseId))
            {
                return $"case {caseId} could not be made active";
            }
        }
        var schedules = new Dictionary<Guid, List<Guid>>();
        var (held, _) = await Wait.Until(async () =>
        {
            foreach (var caseId in cases.Where(c => !schedules.ContainsKey(c)))
            {
                using var group = await Send(HttpMethod.Get, new Uri(Coordination, $"api/coordination/cases/{caseId}"), _caseworker, null, null);
                using var schedule = await Send(HttpMethod.Get, new Uri(Outcomes, $"api/outcomes/cases/{caseId}/schedule"), _caseworker, null, null);
                if (!group.IsSuccessStatusCode || !schedule.IsSuccessStatusCode)
                {
                    continue;
                }
                var measurements = (await schedule.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("measurements")
                    .EnumerateArray().Where(m => m.GetProperty("opensAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow)
                    .Select(m => m.GetProperty("id").GetGuid()).ToList();
                if (measurements.Count > 0)
                {
                    schedules[caseId] = measurements;
                }
            }
            return schedules.Count == cases.Count;
        }, timeout);
        if (!held)
        {
            return FormattableString.Invariant($"{schedules.Count} of {cases.Count} cases known to both within {timeout.TotalSeconds:0} s");
        }
        var slots = cases.SelectMany(c => schedules[c].SelectMany(m => people[c].Select(p => new ResponseSlot(c, m, p)))).ToList();
        foreach (var slot in slots.OrderBy(_ => _run.Random.Next()))
        {
            _responseSlots.Enqueue(slot);
        }
        return null;
    }

    /// <summary>One relay-log entry, one measure or one response (while unanswered measurements are left), chosen by <paramref name="kind"/> (0–2).</summary>
    public async Task CaseWork(int kind, Guid caseId)
    {
        switch (kind)
        {
            case 0:
                await Write(new Uri(Coordination, $"api/coordination/cases/{caseId}/relay-log"),
                    new { type = "meeting", text = "Samtale med familien om fritid og skole." }, RelayEntries);
                break;
            case 1:
                var today = DateOnly.FromDateTime(DateTime.UtcNow);
                await Write(new Uri(Coordination, $"api/coordination/cases/{caseId}/measures"), new
                {
                    title = "Fotballtrening to ganger i uka",
                    responsibleSector = "oppvekst",
                    startsOn = today,
                    endsOn = today.AddMonths(6),
                    nextReviewOn = today.AddMonths(1),
                }, Measures);
                break;
            default:
                if (_responseSlots.TryDequeue(out var slot))
                {
                    await Write(new Uri(Outcomes, $"api/outcomes/cases/{slot.CaseId}/measurements/{slot.MeasurementId}/responses"), new
                    {
                        personId = slot.PersonId,
                        respondent = "worker-with-person",
                        answers = new object[]
                        {
                            new { itemId = "life-satisfaction", value = 6 },
                            new { itemId = "mastery", value = 5 },
                            new { itemId = "neg-gratitude-debt", value = 1 },
                        },
                    }, Responses);
                }
                break;
        }
    }

    /// <summary>Adds an adult (parent) with an identity number to the case's household; the person's id, or null.</summary>
    private async Task<Guid?> AddMember(Guid caseId, string name, string identityNumber)
    {
        using var response = await SendWithoutKey(new Uri(Cases, $"api/cases/{caseId}/members"), new { name, role = "parent", identityNumber });
        if (response is null)
        {
            return null;
        }
        if (!response.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref Refused);
            return null;
        }
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("personId").GetGuid();
    }

    /// <summary>The adult's own consent for oppvekst to coordinate, grant and measure: a case becomes active only with one.</summary>
    private async Task<bool> Consent(Guid caseId, Guid person)
    {
        using var response = await SendWithoutKey(new Uri(Cases, $"api/cases/{caseId}/consents"), new
        {
            personId = person,
            givenByPersonId = person,
            sectors = ConsentSectors,
            purposes = ConsentPurposes,
            dataCategories = ConsentCategories,
        });
        if (response is { IsSuccessStatusCode: false })
        {
            Interlocked.Increment(ref Refused);
        }
        return response is { IsSuccessStatusCode: true };
    }

    /// <summary>Moves the case to active (through intake when it is not there yet): outcomes schedules its measurements then.</summary>
    private async Task<bool> Activate(Guid caseId)
    {
        foreach (var to in new[] { "active", "intake", "active" })
        {
            using var response = await SendWithoutKey(new Uri(Cases, $"api/cases/{caseId}/status"), new { to, reason = "Familien har takket ja til hjelp." });
            if (response is { IsSuccessStatusCode: true } && to == "active")
            {
                return true;
            }
        }
        return false;
    }

    private async Task Write(Uri url, object body, Writes writes)
    {
        using var response = await SendWithoutKey(url, body);
        if (response is null || (int)response.StatusCode >= 500)
        {
            Interlocked.Increment(ref writes.Unsettled);
            return;
        }
        if (!response.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref Refused);
            return;
        }
        writes.Accepted[await Id(response)] = 0;
    }

    private string CaseWorkSummary() => string.Create(CultureInfo.InvariantCulture,
        $"; {RelayEntries.Accepted.Count} relay-log entries, {Measures.Accepted.Count} measures, {Responses.Accepted.Count} responses (2xx), {RelayEntries.Unsettled + Measures.Unsettled + Responses.Unsettled} of them without a verdict");
}
