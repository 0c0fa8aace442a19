using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Grants;

/// <summary>
/// A fund can never be overspent, whatever the concurrency: 64 clients at once try to get grants worth three times
/// the fund approved and paid (or stopped), over the real database, in several seeded rounds.
/// </summary>
[Collection(GrantsCollection.Name)]
public sealed class LedgerRaceTests(GrantsFixture grants)
{
    private const int Clients = 64;
    private const int Rounds = 10;
    private const decimal Budget = 10_000m;

    [Fact]
    public async Task Sixty_four_clients_racing_for_three_times_the_fund_never_overspend_it()
    {
        // One case (and so one household) per client, so the clients meet only on the fund's accounts.
        var cases = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => grants.OpenCase()));
        using var worker = grants.Client("oppvekst", "caseworker", "race-worker");

        for (var round = 0; round < Rounds; round++)
        {
            var random = new Random(20261127 + round);
            var fund = (await grants.CreateFund(budget: Budget, threshold: 1_000_000m, householdCap: 1_000_000m)).GetProperty("id").GetGuid();
            var amounts = Enumerable.Range(0, Clients).Select(_ => decimal.Round(3 * Budget / Clients * (decimal)(0.5 + random.NextDouble()), 2)).ToArray();
            var plans = Enumerable.Range(0, Clients).Select(_ => random.Next(3)).ToArray(); // 0: leave planned, 1: pay, 2: stop
            var grantIds = await Task.WhenAll(Enumerable.Range(0, Clients).Select(async i =>
                (await GrantsFixture.RequestGrant(worker, cases[i], GrantsFixture.Request(fund, amounts[i]))).GetProperty("id").GetGuid()));

            var start = new TaskCompletionSource();
            var clients = Enumerable.Range(0, Clients).Select(i => Task.Run(async () =>
            {
                await start.Task;
                return await Disburse(worker, grantIds[i], plans[i]);
            })).ToArray();
            start.SetResult();
            var outcomes = await Task.WhenAll(clients);

            outcomes.SelectMany(o => o.Statuses).ShouldAllBe(s => s == HttpStatusCode.OK || s == HttpStatusCode.Conflict, $"round {round}: no 500s");
            outcomes.Count(o => o.Approved).ShouldBeLessThan(Clients, $"round {round}: three times the fund cannot all be granted");
            var (available, reserved, paid, source) = await grants.Balances(fund);
            (reserved + paid).ShouldBeLessThanOrEqualTo(Budget, $"round {round}: reserved plus paid never exceeds the fund");
            available.ShouldBeGreaterThanOrEqualTo(0m);
            (available + reserved + paid).ShouldBe(Budget, $"round {round}: no money made or lost");
            source.ShouldBe(-Budget);
            var grantedAmounts = Enumerable.Range(0, Clients).Where(i => outcomes[i].Approved).ToList();
            paid.ShouldBe(grantedAmounts.Where(i => outcomes[i].Paid).Sum(i => amounts[i]), $"round {round}: paid is what was paid");
            reserved.ShouldBe(grantedAmounts.Where(i => !outcomes[i].Paid && !outcomes[i].Stopped).Sum(i => amounts[i]), $"round {round}");
            await grants.AssertLedgerConsistent();
        }
    }

    private static async Task<Outcome> Disburse(HttpClient client, Guid grantId, int plan)
    {
        var statuses = new List<HttpStatusCode>();
        var approve = await GrantsFixture.Post(client, $"/api/grants/grants/{grantId}/approve", null);
        statuses.Add(approve.StatusCode);
        if (approve.StatusCode != HttpStatusCode.OK)
        {
            return new Outcome(statuses, false, false, false);
        }
        var disbursement = (await approve.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("disbursements")[0].GetProperty("id").GetGuid();
        var next = plan switch
        {
            1 => await GrantsFixture.Post(client, $"/api/grants/disbursements/{disbursement}/paid", new { paidOn = "2026-11-27", paymentReference = $"R-{grantId:N}" }),
            2 => await GrantsFixture.Post(client, $"/api/grants/disbursements/{disbursement}/stop", new { reason = "race" }),
            _ => null,
        };
        if (next is not null)
        {
            statuses.Add(next.StatusCode);
            next.StatusCode.ShouldBe(HttpStatusCode.OK, await next.Content.ReadAsStringAsync());
        }
        return new Outcome(statuses, true, plan == 1, plan == 2);
    }

    private sealed record Outcome(IReadOnlyList<HttpStatusCode> Statuses, bool Approved, bool Paid, bool Stopped);
}
