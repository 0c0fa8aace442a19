using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Samskaping.Contracts.Cases;
using Samskaping.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Grants;

[Collection(GrantsCollection.Name)]
public sealed class DisbursementTests(GrantsFixture grants)
{
    [Fact]
    public async Task Paid_stopped_and_cancelled_each_move_money_once_in_the_ledger()
    {
        var fund = (await grants.CreateFund(budget: 3_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        var ids = await ApprovedPlan(kari, caseId, fund, 300m, 3);

        var paid = await GrantsFixture.Post(kari, $"/api/grants/disbursements/{ids[0]}/paid", new { paidOn = "2026-11-20", paymentReference = "UTB-1" });
        var stopped = await GrantsFixture.Post(kari, $"/api/grants/disbursements/{ids[1]}/stop", new { reason = "Familien flyttet." });
        var cancelled = await GrantsFixture.Post(kari, $"/api/grants/disbursements/{ids[2]}/cancel", new { reason = "Feil beløp." });

        paid.StatusCode.ShouldBe(HttpStatusCode.OK, await paid.Content.ReadAsStringAsync());
        stopped.StatusCode.ShouldBe(HttpStatusCode.OK);
        cancelled.StatusCode.ShouldBe(HttpStatusCode.OK);
        var grant = await cancelled.Content.ReadFromJsonAsync<JsonElement>();
        grant.GetProperty("disbursements").EnumerateArray().Select(d => d.GetProperty("status").GetString()).ShouldBe(["paid", "stopped", "cancelled"]);
        grant.GetProperty("disbursements")[0].GetProperty("paymentReference").GetString().ShouldBe("UTB-1");
        grant.GetProperty("disbursements")[0].GetProperty("paidOn").GetString().ShouldBe("2026-11-20");
        (await grants.Balances(fund)).ShouldBe((2_700m, 0m, 300m, -3_000m));
        (await grants.Events("DisbursementPaid", "disbursementId", ids[0])).ShouldBe(1);
        (await grants.Events("DisbursementStopped", "disbursementId", ids[1])).ShouldBe(1);
        (await grants.Events("DisbursementCancelled", "disbursementId", ids[2])).ShouldBe(1);
        (await grants.Database.Scalar<long>("SELECT count(*) FROM grants.ledger_transactions WHERE disbursement_id = ANY (@d)", ("d", ids))).ShouldBe(3);
        await grants.AssertLedgerConsistent();

        // Final states: a second transition (with a fresh key, so not a replay) is refused and moves nothing.
        var again = await GrantsFixture.Post(kari, $"/api/grants/disbursements/{ids[0]}/stop", new { reason = "for sent" });
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.ShouldContain("It is paid");
        (await grants.Balances(fund)).ShouldBe((2_700m, 0m, 300m, -3_000m));
    }

    [Fact]
    public async Task A_CaseClosed_delivered_twice_stops_planned_disbursements_and_releases_their_reservations_once()
    {
        var fund = (await grants.CreateFund(budget: 2_000m)).GetProperty("id").GetGuid();
        var household = Guid.CreateVersion7();
        var caseId = await grants.OpenCase(householdId: household);
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        var ids = await ApprovedPlan(kari, caseId, fund, 250m, 2);
        (await GrantsFixture.Post(kari, $"/api/grants/disbursements/{ids[0]}/paid", new { paidOn = "2026-11-20", paymentReference = "UTB-9" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var closed = new CaseClosed(caseId, "Målene er nådd.", "kari", DateTimeOffset.UtcNow);
        var messageId = Guid.NewGuid();

        // At-least-once delivery: the same message twice, and the cases service announcing the closing again.
        await grants.Bus.Publish(closed, c => c.MessageId = messageId);
        await grants.Bus.Publish(closed, c => c.MessageId = messageId);
        await grants.Bus.Publish(closed with { ClosedAt = closed.ClosedAt.AddSeconds(1) });

        await Eventually.True(async () => await grants.Database.Scalar<long>(
            "SELECT count(*) FROM messaging.inbox WHERE consumer = 'CaseClosedConsumer'") >= 2, what: "both CaseClosed messages to be received");
        await Eventually.True(async () => await grants.Database.Scalar<string>("SELECT status FROM grants.disbursements WHERE id = @d", ("d", ids[1])) == "stopped",
            what: "the planned disbursement to be stopped");
        (await grants.Balances(fund)).ShouldBe((1_750m, 0m, 250m, -2_000m));
        (await grants.Events("DisbursementStopped", "disbursementId", ids[1])).ShouldBe(1);
        (await grants.Database.Scalar<long>("SELECT count(*) FROM grants.ledger_transactions WHERE kind = 'release' AND disbursement_id = @d", ("d", ids[1]))).ShouldBe(1);
        (await grants.Database.Scalar<decimal>("SELECT committed FROM grants.household_usage WHERE fund_id = @f AND household_id = @h",
            ("f", fund), ("h", household))).ShouldBe(250m, "the household's cap got back only what was not paid");
        await grants.AssertLedgerConsistent();

        var late = await GrantsFixture.Post(kari, $"/api/grants/cases/{caseId}/grants", GrantsFixture.Request(fund, 10m));
        late.StatusCode.ShouldBe(HttpStatusCode.Conflict, "no new grants for a closed case");
    }

    [Fact]
    public async Task A_payment_date_more_than_a_week_ahead_is_422_naming_paidOn_and_pays_nothing()
    {
        var fund = (await grants.CreateFund(budget: 1_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        var ids = await ApprovedPlan(kari, caseId, fund, 100m, 1);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        foreach (var ahead in new[] { today.AddYears(3), today.AddDays(8) })
        {
            var refused = await GrantsFixture.Post(kari, $"/api/grants/disbursements/{ids[0]}/paid", new { paidOn = ahead, paymentReference = "UTB-FRAMTID" });
            refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, $"{ahead}: {await refused.Content.ReadAsStringAsync()}");
            (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("paidOn", out _).ShouldBeTrue();
        }
        (await grants.Balances(fund)).ShouldBe((900m, 100m, 0m, -1_000m));

        // A payment run booked for its value date a few days ahead is recorded as it was sent.
        var paid = await GrantsFixture.Post(kari, $"/api/grants/disbursements/{ids[0]}/paid", new { paidOn = today.AddDays(7), paymentReference = "UTB-UKE" });
        paid.StatusCode.ShouldBe(HttpStatusCode.OK, await paid.Content.ReadAsStringAsync());
        (await grants.Balances(fund)).ShouldBe((900m, 0m, 100m, -1_000m));
    }

    /// <summary>Requests and approves a grant of <paramref name="count"/> equal instalments; returns the disbursement ids.</summary>
    internal static async Task<Guid[]> ApprovedPlan(HttpClient client, Guid caseId, Guid fund, decimal each, int count)
    {
        var instalments = Enumerable.Range(1, count).Select(i => new { amount = each, dueOn = $"2030-{i:00}-01" }).ToArray();
        var grantId = (await GrantsFixture.RequestGrant(client, caseId, GrantsFixture.Request(fund, each * count, instalments: instalments)))
            .GetProperty("id").GetGuid();
        var approved = await GrantsFixture.Post(client, $"/api/grants/grants/{grantId}/approve", null);
        approved.StatusCode.ShouldBe(HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
        return (await approved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("disbursements").EnumerateArray()
            .Select(d => d.GetProperty("id").GetGuid()).ToArray();
    }
}
