using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Samskaping.DevTokens;

namespace Samskaping.Chaos;

/// <summary>
/// The load: cases opened in the cases service, grants requested and approved (each approval reserves money and
/// plans a disbursement) in the grants service, and where a scenario runs them, relay-log entries, measures and
/// outcome responses (Workload.CaseWork.cs), through the gateway to the services' replicas. Money-moving requests carry an
/// Idempotency-Key and are retried with the same key until they get an answer, like a careful client; what was
/// accepted (2xx) is remembered, to be found again in the databases.
/// </summary>
internal sealed partial class Workload : IDisposable
{
    private readonly ScenarioRun _run;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };
    private readonly string _caseworker;
    private readonly string _approver;
    private int _requests;

    public Workload(ScenarioRun run)
    {
        _run = run;
        _caseworker = Token(run.Env, "oppvekst", "caseworker", "chaos-kari");
        _approver = Token(run.Env, "oppvekst", "grant-approver", "chaos-ola");
    }

    /// <summary>A worker's token for the run, signed with the development key the services trust.</summary>
    private static string Token(ChaosEnvironment env, string sector, string role, string subject) =>
        new DevToken(env.SigningKey, env.Issuer, env.Audience, role, sector)
        {
            Subject = subject,
            Name = $"Chaos {subject}",
            Expires = DateTimeOffset.UtcNow.AddHours(3),
        }.Mint();

    public ConcurrentDictionary<Guid, byte> AcceptedCases { get; } = new();
    public ConcurrentDictionary<Guid, byte> AcceptedGrants { get; } = new();
    public ConcurrentDictionary<Guid, byte> AcceptedApprovals { get; } = new();
    public int Refused;
    public int Unanswered;

    /// <summary>HTTP requests sent so far, retries included.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Called with the number of each money-moving request before it is sent (the moment to inject a fault).</summary>
    public Action<int>? BeforeRequest { get; set; }

    private Uri Cases => _run.Api("cases");
    private Uri Grants => _run.Api("grants");

    public async Task<Guid?> OpenCase(string household)
    {
        using var response = await SendWithoutKey(new Uri(Cases, "api/cases"),
            new { householdName = household, need = new { text = "Vi trenger hjelp med fritid for barna." } });
        if (response is null)
        {
            return null;
        }
        if (response.IsSuccessStatusCode)
        {
            var id = await Id(response);
            AcceptedCases[id] = 0;
            return id;
        }
        Interlocked.Increment(ref (int)response.StatusCode < 500 ? ref Refused : ref Unanswered);
        return null;
    }

    /// <summary>
    /// A POST without an Idempotency-Key: sent again only when it surely never arrived (connection refused), for up
    /// to 90 s. Null (and counted as unanswered) when it got no answer.
    /// </summary>
    private async Task<HttpResponseMessage?> SendWithoutKey(Uri url, object body)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                return await Send(HttpMethod.Post, url, _caseworker, null, body);
            }
            catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused } && DateTime.UtcNow < deadline)
            {
                await Task.Delay(300);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Interlocked.Increment(ref Unanswered);
                return null;
            }
        }
    }

    /// <summary>Adds an adult (parent) with an identity number to the case's household: the applicant of its Digisos case.</summary>
    public async Task<bool> AddAdult(Guid caseId, string name, string identityNumber)
    {
        using var response = await SendWithoutKey(new Uri(Cases, $"api/cases/{caseId}/members"), new { name, role = "parent", identityNumber });
        if (response is null)
        {
            return false;
        }
        if (!response.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref Refused);
        }
        return response.IsSuccessStatusCode;
    }

    public async Task<Guid> CreateFund(bool reportToBenefitSystem)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var body = new
        {
            name = $"Chaos fund {_run.Scenario} {_run.Seed}",
            owner = "oppvekst",
            periodStart = today.AddYears(-1),
            periodEnd = today.AddYears(1),
            budget = 100_000_000m,
            approvalThreshold = 5_000m,
            householdCap = 100_000_000m,
            lowBalanceThreshold = 1_000m,
            reportToBenefitSystem,
        };
        var (status, id) = await Idempotent(new Uri(Grants, "api/grants/funds"), _approver, body, count: false);
        return status is >= 200 and < 300 && id is { } fund ? fund : throw new InvalidOperationException($"creating the fund answered {status}");
    }

    /// <summary>Waits until the grants service has learnt of every case (from CaseOpened), or the time is up.</summary>
    public async Task<bool> GrantsKnow(IEnumerable<Guid> caseIds, TimeSpan timeout)
    {
        var pending = caseIds.ToHashSet();
        var (held, _) = await Wait.Until(async () =>
        {
            foreach (var id in pending.ToList())
            {
                using var response = await Send(HttpMethod.Get, new Uri(Grants, $"api/grants/cases/{id}"), _caseworker, null, null);
                if (response.IsSuccessStatusCode)
                {
                    pending.Remove(id);
                }
            }
            return pending.Count == 0;
        }, timeout);
        return held;
    }

    /// <summary>Requests a grant and approves it: two money-moving requests, each with its own Idempotency-Key.</summary>
    public async Task RequestAndApprove(Guid caseId, Guid fundId, decimal amount)
    {
        var (status, grantId) = await Idempotent(new Uri(Grants, $"api/grants/cases/{caseId}/grants"), _caseworker, new
        {
            fundId,
            amount,
            purpose = "Treningsavgift og utstyr, så Sara kan spille fotball igjen.",
            category = "leisure",
            payee = new { kind = "family", name = "Familien Chaos", accountNumber = "12345678903" },
        });
        if (status is < 200 or >= 300 || grantId is not { } grant)
        {
            return;
        }
        AcceptedGrants[grant] = 0;
        var (approved, _) = await Idempotent(new Uri(Grants, $"api/grants/grants/{grant}/approve"), _caseworker, null);
        if (approved is >= 200 and < 300)
        {
            AcceptedApprovals[grant] = 0;
        }
    }

    public decimal Amount() => Math.Round((decimal)(_run.Random.Next(10_000, 300_000) / 100.0), 2);

    /// <summary>
    /// A POST with an Idempotency-Key, sent again with the same key after a network error, a timeout or a 5xx until
    /// the deadline. Returns the final status (0 when never answered) and the answer's id.
    /// </summary>
    private async Task<(int Status, Guid? Id)> Idempotent(Uri url, string token, object? body, bool count = true)
    {
        var key = Guid.NewGuid().ToString();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        var number = count ? Interlocked.Increment(ref _requests) : 0;
        if (count)
        {
            BeforeRequest?.Invoke(number);
        }
        while (true)
        {
            try
            {
                using var response = await Send(HttpMethod.Post, url, token, key, body);
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    return (status, await Id(response));
                }
                if (status < 500 || DateTime.UtcNow > deadline)
                {
                    Interlocked.Increment(ref Refused);
                    return (status, null);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                if (DateTime.UtcNow > deadline)
                {
                    Interlocked.Increment(ref Unanswered);
                    return (0, null);
                }
            }
            await Task.Delay(250);
        }
    }

    private async Task<HttpResponseMessage> Send(HttpMethod method, Uri url, string token, string? key, object? body)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return await _http.SendAsync(request);
    }

    private static async Task<Guid> Id(HttpResponseMessage response)
    {
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return json.GetProperty("id").GetGuid();
    }

    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"{AcceptedCases.Count} cases, {AcceptedGrants.Count} grants requested, {AcceptedApprovals.Count} approved (2xx); {Refused} refused, {Unanswered} unanswered; {Requests} money-moving requests")
        + (_run.Services.ContainsKey("coordination") ? CaseWorkSummary() : "");

    public void Dispose() => _http.Dispose();
}
