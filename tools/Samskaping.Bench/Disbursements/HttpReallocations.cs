using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Samskaping.Bench.Load;
using Samskaping.Bench.SystemUnderTest;

namespace Samskaping.Bench.Disbursements;

/// <summary>
/// The ledger path through the grants service's HTTP API, as a client meets it: POST
/// <c>/api/grants/funds/{fund}/reallocations</c> with an Idempotency-Key, 1 NOK at a time from ONE fund's available
/// account (the conditional debit; 409 when it runs dry) to another fund. Every request goes through the whole service:
/// Kestrel, authentication, the fund-manager filter, validation, the idempotency row, the ledger transaction and its
/// COMMIT. Straight at the service's port, not through the gateway (the gateway's hop is case-read's subject).
/// </summary>
internal static class HttpReallocations
{
    public static async Task<Measurement> Measure(BenchSystem system, int clients, TimeSpan duration, CancellationToken ct)
    {
        using var http = BenchSystem.Client(system["grants"].Address, system.Token("oppvekst", "grant-approver", "bench-approver"));
        var from = await CreateFund(http, "Benchmark fund (from)", 100_000_000m, ct);
        var to = await CreateFund(http, "Benchmark fund (to)", 1m, ct);
        var failures = new ConcurrentQueue<string>();

        async Task Move(Latencies latencies)
        {
            var started = Stopwatch.GetTimestamp();
            using var request = new HttpRequestMessage(HttpMethod.Post, $"api/grants/funds/{from}/reallocations")
            {
                Content = JsonContent.Create(new { toFundId = to, amount = 1m, reason = "bench" }),
            };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            using var response = await http.SendAsync(request, ct);
            if (response.IsSuccessStatusCode)
            {
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            else if (failures.Count < 5)
            {
                failures.Enqueue($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            }
        }

        var (latencies, elapsed) = await ClosedLoop.Run(clients, duration, Move, ct);
        if (!failures.IsEmpty)
        {
            throw new InvalidOperationException($"reallocations were refused: {string.Join("; ", failures)}");
        }
        return new Measurement($"grants HTTP POST …/reallocations with Idempotency-Key, {clients} clients", latencies.Count, elapsed,
            latencies.Percentile(0.5), latencies.Percentile(0.99));
    }

    private static async Task<Guid> CreateFund(HttpClient http, string name, decimal budget, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/grants/funds")
        {
            Content = JsonContent.Create(new
            {
                name,
                owner = "oppvekst",
                periodStart = today.AddYears(-1),
                periodEnd = today.AddYears(1),
                budget,
                approvalThreshold = 1_000m,
                householdCap = 1_000_000m,
                lowBalanceThreshold = 0m,
                reportToBenefitSystem = false,
            }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"creating the benchmark fund answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }
        return (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
    }
}
