using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Samskaping.Contracts.Grants;
using Samskaping.Grants.Ledger;
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

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

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

    [Fact]
    public async Task Postings_sent_with_their_commit_in_one_round_trip_never_overspend_and_leave_nothing_half_written()
    {
        // The contended path as the service runs it: the rest of the change first (here an idempotency row), then
        // [that row's statement, SELECT grants.post(...), COMMIT] as one batch (FundLedger.Commit). 64 clients race for
        // three times the fund in seeded amounts; the fund crosses its low-balance threshold once, mid-race.
        const decimal budget = 5_000m;
        var ledger = grants.Services.GetRequiredService<FundLedger>();
        var fund = (await grants.CreateFund(budget: budget, lowBalance: budget / 2)).GetProperty("id").GetGuid();
        var random = new Random(20261127);
        var attempts = Enumerable.Range(0, Clients)
            .Select(_ => Enumerable.Range(0, 4).Select(_ => decimal.Round(3 * budget / (4 * Clients) * (decimal)(0.5 + random.NextDouble()), 2)).ToArray())
            .ToArray();
        var prefix = $"race-{fund:N}-";

        var start = new TaskCompletionSource();
        var results = Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            await start.Task;
            var done = new List<(decimal Amount, bool Committed)>();
            for (var i = 0; i < attempts[client].Length; i++)
            {
                var amount = attempts[client][i];
                await using var connection = await grants.DataSource.OpenConnectionAsync();
                await using var tx = await connection.BeginTransactionAsync();
                var posting = ledger.Prepare(LedgerKinds.Reserve, "race", "race-worker",
                    [new Leg(fund, AccountKinds.Available, -amount), new Leg(fund, AccountKinds.Reserved, amount)], null, null);
                var key = new NpgsqlBatchCommand(
                    "INSERT INTO grants.idempotency_keys (key, subject, request_hash, created_at) VALUES ($1, 'race-worker', 'h', now())")
                {
                    Parameters = { new() { Value = $"{prefix}{client}-{i}" } },
                };
                var refusal = await FundLedger.Commit(tx, posting, [key], CancellationToken.None);
                if (refusal is not null)
                {
                    var shortfall = refusal.ShouldBeOfType<Shortfall>();
                    shortfall.Account.ShouldBe(AccountKinds.Available);
                    shortfall.Wanted.ShouldBe(amount);
                    shortfall.Balance.ShouldBeLessThan(amount, "refused only when the money was not there");
                }
                done.Add((amount, refusal is null));
            }
            return done;
        })));
        start.SetResult();
        var all = (await results).SelectMany(r => r).ToList();

        var committed = all.Where(r => r.Committed).ToList();
        committed.Count.ShouldBeLessThan(all.Count, "three times the fund cannot all be reserved");
        committed.Count.ShouldBeGreaterThan(0);
        var (available, reserved, paid, source) = await grants.Balances(fund);
        reserved.ShouldBe(committed.Sum(r => r.Amount), "reserved is exactly what was committed");
        available.ShouldBeGreaterThanOrEqualTo(0m, "never overspent");
        (available + reserved + paid).ShouldBe(budget, "no money made or lost");
        source.ShouldBe(-budget);
        available.ShouldBeLessThan(all.Where(r => !r.Committed).Min(r => r.Amount), "a refusal means the money was not there at the end either");
        (await grants.Database.Scalar<long>("SELECT count(*) FROM grants.idempotency_keys WHERE key LIKE @p", ("p", prefix + "%")))
            .ShouldBe(committed.Count, "a refused posting rolled back the statements sent before it in the same batch");
        (await grants.Database.Scalar<long>(
            """
            SELECT count(*) FROM grants.ledger_transactions t
            WHERE t.kind = 'reserve' AND t.description = 'race' AND EXISTS (
                SELECT 1 FROM grants.ledger_entries e JOIN grants.accounts a ON a.id = e.account_id WHERE e.transaction_id = t.id AND a.fund_id = @f)
            """, ("f", fund))).ShouldBe(committed.Count, "one ledger transaction per committed posting, none for a refused one");
        await grants.AssertLedgerConsistent();

        // Crossing below half the budget happened once, and the FundLow written by the database reads as the contract.
        (await grants.Events("FundLow", "fundId", fund)).ShouldBe(1);
        var body = await grants.Database.Scalar<string>(
            "SELECT body::text FROM messaging.outbox WHERE message_type = @t AND body ->> 'fundId' = @f", ("t", FundLedger.FundLowType), ("f", fund.ToString()));
        var low = JsonSerializer.Deserialize<FundLow>(body!, Web)!;
        low.FundId.ShouldBe(fund);
        low.Threshold.ShouldBe(budget / 2);
        low.Available.ShouldBeLessThan(budget / 2);
        low.Available.ShouldBeGreaterThanOrEqualTo(0m);
        low.Name.ShouldStartWith("Fond ");
        low.At.Offset.ShouldBe(TimeSpan.Zero);
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
