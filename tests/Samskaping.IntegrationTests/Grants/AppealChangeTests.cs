using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Samskaping.Grants.Letters;
using Shouldly;
using Xunit;
using static Samskaping.IntegrationTests.Grants.AppealTests;

namespace Samskaping.IntegrationTests.Grants;

/// <summary>The family's most common appeal: "we asked for 3 000, got 1 500" — the decision-maker grants more.</summary>
[Collection(AppealsCollection.Name)]
public sealed class AppealChangeTests(FakeClockGrantsFixture grants)
{
    private const string Reason = "Klagen viser at hele beløpet trengs for at Sara kan være med på laget.";

    /// <summary>A grant of <paramref name="asked"/> approved at <paramref name="granted"/> (delvis innvilget), and an appeal on it.</summary>
    private async Task<(Guid FundId, Guid GrantId, Guid AppealId, HttpClient Kari)> PartlyGrantedAndAppealed(
        decimal asked = 3_000m, decimal granted = 1_500m, decimal budget = 10_000m, decimal threshold = 5_000m, Func<Guid, HttpClient, Task>? beforeAppeal = null)
    {
        var fund = (await grants.CreateFund(budget: budget, threshold: threshold)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        var kari = grants.Client("oppvekst", "caseworker", "kari-change");
        var grantId = (await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fund, asked))).GetProperty("id").GetGuid();
        var approved = await GrantsFixture.Post(kari, $"/api/grants/grants/{grantId}/approve", new { amount = granted, reason = "Fondet dekker halvparten." });
        approved.StatusCode.ShouldBe(HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
        if (beforeAppeal is not null)
        {
            await beforeAppeal(grantId, kari);
        }
        var appealId = (await Register(kari, grantId, grants.Today)).GetProperty("id").GetGuid();
        return (fund, grantId, appealId, kari);
    }

    private static Task<HttpResponseMessage> Change(HttpClient client, Guid appealId, decimal? amount = null, string? key = null) =>
        GrantsFixture.Post(client, $"/api/grants/appeals/{appealId}/reverse", amount is null ? new { reason = Reason } : new { reason = Reason, amount }, key);

    private static async Task<string> PdfText(HttpClient client, Guid letterId)
    {
        using var document = UglyToad.PdfPig.PdfDocument.Open(await client.GetByteArrayAsync($"/api/grants/letters/{letterId}"));
        return string.Join(" ", document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text)).Replace('\u00A0', ' ');
    }

    private async Task<decimal> HouseholdCommitted(Guid fundId) =>
        await grants.Database.Scalar<decimal>("SELECT coalesce(sum(committed), 0) FROM grants.household_usage WHERE fund_id = @f", ("f", fundId));

    [Fact]
    public async Task Changing_a_partly_granted_decision_to_everything_asked_for_raises_the_planned_payment_with_a_new_letter_once()
    {
        var (fund, grantId, appealId, kari) = await PartlyGrantedAndAppealed();
        using var _ = kari;
        var key = Guid.NewGuid().ToString();

        var changed = await Change(kari, appealId, key: key);
        var again = await Change(kari, appealId, key: key);

        changed.StatusCode.ShouldBe(HttpStatusCode.OK, await changed.Content.ReadAsStringAsync());
        again.StatusCode.ShouldBe(HttpStatusCode.OK, "the same key replays the first answer");
        var appeal = await changed.Content.ReadFromJsonAsync<JsonElement>();
        appeal.GetProperty("status").GetString().ShouldBe("reversed");
        var grant = await kari.GetFromJsonAsync<JsonElement>($"/api/grants/grants/{grantId}");
        grant.GetProperty("amount").GetDecimal().ShouldBe(3_000m);
        var payment = grant.GetProperty("disbursements").EnumerateArray().ShouldHaveSingleItem();
        payment.GetProperty("amount").GetDecimal().ShouldBe(3_000m);
        payment.GetProperty("status").GetString().ShouldBe("planned");
        var balances = await grants.Balances(fund);
        (balances.Available, balances.Reserved, balances.Paid).ShouldBe((7_000m, 3_000m, 0m));
        (await HouseholdCommitted(fund)).ShouldBe(3_000m);

        var letters = await Letters(kari, grantId);
        letters.Length.ShouldBe(2);
        var (partly, full) = (letters[0], letters[1]);
        partly.GetProperty("outcome").GetString().ShouldBe("delvis-innvilget");
        full.GetProperty("id").GetGuid().ShouldBe(appeal.GetProperty("newLetterId").GetGuid());
        full.GetProperty("outcome").GetString().ShouldBe("innvilget");
        full.GetProperty("amount").GetDecimal().ShouldBe(3_000m);
        full.GetProperty("replacesLetterId").GetGuid().ShouldBe(partly.GetProperty("id").GetGuid());
        var text = await PdfText(kari, full.GetProperty("id").GetGuid());
        text.ShouldContain($"erstatter vedtaket av {NorwegianFormat.Date(NorwegianCalendar.DayOf(partly.GetProperty("issuedAt").GetDateTimeOffset()))}");
        text.ShouldContain("3 000,00 kroner");
        text.ShouldContain("Klagen viser at hele beløpet trengs");

        (await grants.Events("GrantIncreased", "grantId", grantId)).ShouldBe(1);
        (await grants.Database.Scalar<decimal>(
            "SELECT (body ->> 'increase')::numeric FROM messaging.outbox WHERE message_type = 'Samskaping.Contracts.Grants.GrantIncreased' AND body ->> 'grantId' = @g",
            ("g", grantId.ToString()))).ShouldBe(1_500m);
        (await grants.Events("DecisionLetterIssued", "grantId", grantId)).ShouldBe(2);
        (await grants.Events("AppealDecided", "appealId", appealId)).ShouldBe(1);
        (await grants.Database.Scalar<string>(
            "SELECT body ->> 'newLetterId' FROM messaging.outbox WHERE message_type = 'Samskaping.Contracts.Grants.AppealDecided' AND body ->> 'appealId' = @a",
            ("a", appealId.ToString()))).ShouldBe(full.GetProperty("id").GetString());
        var plannedAmounts = await grants.Database.Scalar<string>(
            """
            SELECT string_agg(body ->> 'amount', ',' ORDER BY created_at) FROM messaging.outbox
            WHERE message_type = 'Samskaping.Contracts.Grants.DisbursementPlanned' AND body ->> 'disbursementId' = @d
            """, ("d", payment.GetProperty("id").GetString()!));
        plannedAmounts.ShouldBe("1500.00,3000.00", "the raised plan is announced again with its new amount, for the Digisos feed");
        (await grants.Database.Scalar<long>(
            "SELECT count(*) FROM grants.ledger_transactions WHERE grant_id = @g AND kind = 'reserve'", ("g", grantId))).ShouldBe(2);
        await grants.AssertLedgerConsistent();
    }

    [Fact]
    public async Task A_payment_that_has_left_already_is_followed_by_one_more_for_the_increase()
    {
        var (fund, grantId, appealId, kari) = await PartlyGrantedAndAppealed(asked: 2_500m, beforeAppeal: async (grantId, kari) =>
        {
            var first = (await kari.GetFromJsonAsync<JsonElement>($"/api/grants/grants/{grantId}")).GetProperty("disbursements")[0].GetProperty("id").GetGuid();
            var paid = await GrantsFixture.Post(kari, $"/api/grants/disbursements/{first}/paid", new { paidOn = grants.Today, paymentReference = "BANK-1" });
            paid.StatusCode.ShouldBe(HttpStatusCode.OK, await paid.Content.ReadAsStringAsync());
        });
        using var _ = kari;

        var changed = await Change(kari, appealId, amount: 2_000m);

        changed.StatusCode.ShouldBe(HttpStatusCode.OK, await changed.Content.ReadAsStringAsync());
        var grant = await kari.GetFromJsonAsync<JsonElement>($"/api/grants/grants/{grantId}");
        grant.GetProperty("amount").GetDecimal().ShouldBe(2_000m);
        var payments = grant.GetProperty("disbursements").EnumerateArray()
            .Select(d => (d.GetProperty("number").GetInt32(), d.GetProperty("amount").GetDecimal(), d.GetProperty("status").GetString())).ToList();
        payments.ShouldBe([(1, 1_500m, "paid"), (2, 500m, "planned")]);
        var balances = await grants.Balances(fund);
        (balances.Available, balances.Reserved, balances.Paid).ShouldBe((8_000m, 500m, 1_500m));
        var letter = (await Letters(kari, grantId))[^1];
        letter.GetProperty("outcome").GetString().ShouldBe("delvis-innvilget", "2 000 of the 2 500 asked for is still less");
        var text = await PdfText(kari, letter.GetProperty("id").GetGuid());
        text.ShouldContain("2 000,00 kroner");
        Regex.Count(text, "kroner blir betalt til Familien Berg").ShouldBe(2, "the payment made and the one more");
        (await grants.Events("DisbursementPlanned", "grantId", grantId)).ShouldBe(2);
        await grants.AssertLedgerConsistent();
    }

    [Fact]
    public async Task An_amount_not_above_what_was_granted_or_above_what_was_asked_for_is_refused_naming_amount()
    {
        var (_, grantId, appealId, kari) = await PartlyGrantedAndAppealed();
        using var _ = kari;

        foreach (var amount in new[] { 1_500m, 1_500.50m, 1_000m, 3_000.01m, 4_000m })
        {
            var refused = await Change(kari, appealId, amount);
            refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, $"{amount}: {await refused.Content.ReadAsStringAsync()}");
            (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("amount", out var __).ShouldBeTrue();
        }
        (await Letters(kari, grantId)).ShouldHaveSingleItem();
        (await kari.GetFromJsonAsync<JsonElement>($"/api/grants/appeals/{appealId}")).GetProperty("status").GetString().ShouldBe("received");
    }

    [Fact]
    public async Task Too_little_money_in_the_fund_is_a_conflict_that_writes_nothing()
    {
        var (fund, grantId, appealId, kari) = await PartlyGrantedAndAppealed(budget: 2_000m);
        using var _ = kari;
        var before = await grants.Balances(fund);

        var refused = await Change(kari, appealId);

        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict, await refused.Content.ReadAsStringAsync());
        (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString().ShouldBe("Not enough money in the fund.");
        (await grants.Balances(fund)).ShouldBe(before);
        (await HouseholdCommitted(fund)).ShouldBe(1_500m);
        var grant = await kari.GetFromJsonAsync<JsonElement>($"/api/grants/grants/{grantId}");
        grant.GetProperty("amount").GetDecimal().ShouldBe(1_500m);
        grant.GetProperty("disbursements")[0].GetProperty("amount").GetDecimal().ShouldBe(1_500m);
        (await Letters(kari, grantId)).ShouldHaveSingleItem();
        (await kari.GetFromJsonAsync<JsonElement>($"/api/grants/appeals/{appealId}")).GetProperty("status").GetString().ShouldBe("received");
        (await grants.Events("GrantIncreased", "grantId", grantId)).ShouldBe(0);
        (await grants.Events("AppealDecided", "appealId", appealId)).ShouldBe(0);
        (await grants.Events("DisbursementPlanned", "grantId", grantId)).ShouldBe(1);
    }

    [Fact]
    public async Task Above_the_threshold_the_new_amount_needs_a_second_approver_who_is_named_in_the_letter()
    {
        var (_, grantId, appealId, kari) = await PartlyGrantedAndAppealed(threshold: 2_000m);
        using var _ = kari;
        using var ola = grants.Client("oppvekst", "grant-approver", "ola-change");

        var alone = await Change(kari, appealId);
        var second = await Change(ola, appealId);

        alone.StatusCode.ShouldBe(HttpStatusCode.Forbidden, await alone.Content.ReadAsStringAsync());
        second.StatusCode.ShouldBe(HttpStatusCode.OK, await second.Content.ReadAsStringAsync());
        var grant = await kari.GetFromJsonAsync<JsonElement>($"/api/grants/grants/{grantId}");
        grant.GetProperty("secondApprover").GetString().ShouldBe("ola-change");
        grant.GetProperty("decidedBy").GetString().ShouldBe("kari-change");
        (await Letters(kari, grantId))[^1].GetProperty("decidedBy").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task A_full_grant_and_an_appeal_dealt_with_cannot_be_changed_upward()
    {
        var fund = (await grants.CreateFund(budget: 10_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var kari = grants.Client("oppvekst", "caseworker", "kari-change");
        var full = (await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fund, 900m))).GetProperty("id").GetGuid();
        (await GrantsFixture.Post(kari, $"/api/grants/grants/{full}/approve", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var onFull = (await Register(kari, full, grants.Today)).GetProperty("id").GetGuid();
        var (_, _, changedAppeal, other) = await PartlyGrantedAndAppealed();
        using var __ = other;
        (await Change(other, changedAppeal, 2_000m)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var fully = await Change(kari, onFull);
        var twice = await Change(other, changedAppeal);

        fully.StatusCode.ShouldBe(HttpStatusCode.Conflict, await fully.Content.ReadAsStringAsync());
        (await fully.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString().ShouldBe("The appealed decision granted everything asked for.");
        twice.StatusCode.ShouldBe(HttpStatusCode.Conflict, "the appeal was dealt with");
        (await Letters(kari, full)).ShouldHaveSingleItem();
    }
}
