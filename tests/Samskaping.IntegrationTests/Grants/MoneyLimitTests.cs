using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Grants;

/// <summary>
/// Money has explicit limits well inside the ledger's <c>numeric(14,2)</c>: one amount at most 1 000 000 000.00 NOK,
/// one fund at most 100 000 000 000.00 NOK (what it holds, and what it takes from the budget over its life). Past
/// them the answer is 422 naming the field, never a 500 from a numeric overflow, and nothing changes.
/// </summary>
[Collection(GrantsCollection.Name)]
public sealed class MoneyLimitTests(GrantsFixture grants)
{
    private const decimal MaxAmount = 1_000_000_000.00m;
    private const decimal MaxBalance = 100_000_000_000.00m;
    private const decimal Past = 0.01m;

    [Fact]
    public async Task The_largest_amount_the_column_holds_is_422_naming_amount_and_not_a_500()
    {
        var fund = (await grants.CreateFund(budget: 1_000m)).GetProperty("id").GetGuid();
        var other = (await grants.CreateFund(budget: 1_000m)).GetProperty("id").GetGuid();
        using var approver = grants.Client("oppvekst", "grant-approver", "fund-admin");

        // What the outside test sent: repeatably a 500 once the fund held anything.
        var topUp = await GrantsFixture.Post(approver, $"/api/grants/funds/{fund}/top-ups", new { amount = 999_999_999_999.99m });
        var again = await GrantsFixture.Post(approver, $"/api/grants/funds/{fund}/top-ups", new { amount = 999_999_999_999.99m });
        var moved = await GrantsFixture.Post(approver, $"/api/grants/funds/{other}/reallocations",
            new { toFundId = fund, amount = 999_999_999_999.99m, reason = "alt" });

        await ShouldNameField(topUp, "amount");
        await ShouldNameField(again, "amount");
        await ShouldNameField(moved, "amount");
        (await grants.Balances(fund)).ShouldBe((1_000m, 0m, 0m, -1_000m));
        (await grants.Balances(other)).ShouldBe((1_000m, 0m, 0m, -1_000m));
    }

    [Fact]
    public async Task Every_amount_sent_is_accepted_at_the_limit_and_refused_one_ore_past_it_naming_the_field()
    {
        using var approver = grants.Client("oppvekst", "grant-approver", "fund-admin");
        using var kari = grants.Client("oppvekst", "caseworker", "kari");

        foreach (var field in new[] { "budget", "approvalThreshold", "householdCap", "lowBalanceThreshold" })
        {
            (await GrantsFixture.Post(approver, "/api/grants/funds", Fund(field, MaxAmount))).StatusCode.ShouldBe(HttpStatusCode.Created, field);
            await ShouldNameField(await GrantsFixture.Post(approver, "/api/grants/funds", Fund(field, MaxAmount + Past)), field);
        }

        var fund = (await grants.CreateFund(budget: MaxAmount, threshold: MaxAmount, householdCap: MaxAmount)).GetProperty("id").GetGuid();
        var other = (await grants.CreateFund(budget: 0m)).GetProperty("id").GetGuid();
        await ShouldNameField(await GrantsFixture.Post(approver, $"/api/grants/funds/{fund}/top-ups", new { amount = MaxAmount + Past }), "amount");
        (await GrantsFixture.Post(approver, $"/api/grants/funds/{fund}/top-ups", new { amount = MaxAmount })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await ShouldNameField(await GrantsFixture.Post(approver, $"/api/grants/funds/{fund}/reallocations",
            new { toFundId = other, amount = MaxAmount + Past, reason = "alt" }), "amount");
        (await GrantsFixture.Post(approver, $"/api/grants/funds/{fund}/reallocations", new { toFundId = other, amount = MaxAmount, reason = "alt" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        var caseId = await grants.OpenCase();
        await ShouldNameField(await GrantsFixture.Post(kari, $"/api/grants/cases/{caseId}/grants", GrantsFixture.Request(fund, MaxAmount + Past)), "amount");
        await ShouldNameField(await GrantsFixture.Post(kari, $"/api/grants/cases/{caseId}/grants", GrantsFixture.Request(fund, MaxAmount + Past,
            instalments: new[] { new { amount = MaxAmount + Past, dueOn = "2030-01-01" } })), "instalments[0].amount");

        // The largest grant there can be is requested, approved (reserved), paid as one disbursement of that amount.
        var grantId = (await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(fund, MaxAmount))).GetProperty("id").GetGuid();
        var approved = await GrantsFixture.Post(kari, $"/api/grants/grants/{grantId}/approve", null);
        approved.StatusCode.ShouldBe(HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
        var disbursement = (await approved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("disbursements")[0];
        disbursement.GetProperty("amount").GetDecimal().ShouldBe(MaxAmount);
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        (await GrantsFixture.Post(kari, $"/api/grants/disbursements/{disbursement.GetProperty("id").GetGuid()}/paid",
            new { paidOn = today, paymentReference = "UTB-MAX" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await grants.Balances(fund)).ShouldBe((0m, 0m, MaxAmount, -2 * MaxAmount));
        await grants.AssertLedgerConsistent();
    }

    [Fact]
    public async Task A_fund_holds_at_most_a_hundred_billion_and_takes_at_most_that_from_the_budget_over_its_life()
    {
        using var approver = grants.Client("oppvekst", "grant-approver", "fund-admin");
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        var full = (await grants.CreateFund(budget: MaxAmount, threshold: MaxAmount, householdCap: MaxAmount)).GetProperty("id").GetGuid();
        var other = (await grants.CreateFund(budget: 1_000m)).GetProperty("id").GetGuid();
        for (var i = 1; i < MaxBalance / MaxAmount; i++)
        {
            (await GrantsFixture.Post(approver, $"/api/grants/funds/{full}/top-ups", new { amount = MaxAmount })).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        (await grants.Balances(full)).ShouldBe((MaxBalance, 0m, 0m, -MaxBalance), "exactly at the limit is allowed");

        // Nothing more goes in: not from the budget, not from another fund.
        await ShouldNameField(await GrantsFixture.Post(approver, $"/api/grants/funds/{full}/top-ups", new { amount = Past }), "amount");
        await ShouldNameField(await GrantsFixture.Post(approver, $"/api/grants/funds/{other}/reallocations",
            new { toFundId = full, amount = Past, reason = "litt til" }), "amount");

        // Money reserved for a grant is still the fund's: with less available, the fund is as full as before.
        var caseId = await grants.OpenCase();
        var grantId = (await GrantsFixture.RequestGrant(kari, caseId, GrantsFixture.Request(full, MaxAmount))).GetProperty("id").GetGuid();
        (await GrantsFixture.Post(kari, $"/api/grants/grants/{grantId}/approve", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await ShouldNameField(await GrantsFixture.Post(approver, $"/api/grants/funds/{other}/reallocations",
            new { toFundId = full, amount = Past, reason = "litt til" }), "amount");

        // Moving money out makes room for money from other funds, but not for more from the budget: the fund has had
        // its hundred billion from the budget in this life.
        (await GrantsFixture.Post(approver, $"/api/grants/funds/{full}/reallocations", new { toFundId = other, amount = MaxAmount, reason = "omfordeling" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        await ShouldNameField(await GrantsFixture.Post(approver, $"/api/grants/funds/{full}/top-ups", new { amount = Past }), "amount");
        (await GrantsFixture.Post(approver, $"/api/grants/funds/{other}/reallocations", new { toFundId = full, amount = Past, reason = "litt tilbake" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        (await grants.Balances(full)).ShouldBe((MaxBalance - 2 * MaxAmount + Past, MaxAmount, 0m, -MaxBalance));
        (await grants.Balances(other)).ShouldBe((1_000m + MaxAmount - Past, 0m, 0m, -1_000m));
        await grants.AssertLedgerConsistent();
    }

    public static TheoryData<string, string> PastTheLimits => new()
    {
        { "an available balance over the fund's limit", "UPDATE grants.fund_balances SET available = 100000000000.01 WHERE fund_id = @f" },
        { "a budget source beyond the fund's limit", "UPDATE grants.fund_balances SET budget_source = -100000000000.01 WHERE fund_id = @f" },
        { "a reserved balance over the fund's limit", "UPDATE grants.fund_balances SET reserved = 100000000000.01 WHERE fund_id = @f" },
        { "a ledger entry over the amount limit", "INSERT INTO grants.ledger_transactions (id, kind, description, recorded_by, recorded_at, accounts, amounts) SELECT gen_random_uuid(), 'top-up', 'x', 'x', now(), array_agg(id ORDER BY kind), ARRAY[-1000000000.01, 1000000000.01] FROM grants.accounts WHERE fund_id = @f AND kind IN ('budget-source', 'available')" },
        { "a threshold over the amount limit", "UPDATE grants.funds SET approval_threshold = 1000000000.01 WHERE id = @f" },
        { "a household cap over the amount limit", "UPDATE grants.funds SET household_cap = 1000000000.01 WHERE id = @f" },
        { "a low-balance threshold over the amount limit", "UPDATE grants.funds SET low_balance_threshold = 1000000000.01 WHERE id = @f" },
        { "a grant over the amount limit", "UPDATE grants.grants SET amount = 1000000000.01 WHERE fund_id = @f" },
        { "an instalment over the amount limit", "UPDATE grants.instalments SET amount = 1000000000.01 WHERE grant_id IN (SELECT id FROM grants.grants WHERE fund_id = @f)" },
        { "a disbursement over the amount limit", "UPDATE grants.disbursements SET amount = 1000000000.01 WHERE fund_id = @f" },
        { "a household's usage over the amount limit", "UPDATE grants.household_usage SET committed = 1000000000.01 WHERE fund_id = @f" },
    };

    [Theory]
    [MemberData(nameof(PastTheLimits))]
    public async Task The_database_refuses_amounts_and_balances_past_the_limits_itself(string why, string sql)
    {
        var fund = (await grants.CreateFund(budget: 1_000m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        await DisbursementTests.ApprovedPlan(kari, caseId, fund, 100m, 1);
        await using var connection = await grants.DataSource.OpenConnectionAsync();
        // Rolled back whatever happens, so a database that let it through does not spoil the other tests' ledger.
        await using var tx = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(sql, connection, tx);
        command.Parameters.AddWithValue("f", fund);

        var refused = await Should.ThrowAsync<PostgresException>(() => command.ExecuteNonQueryAsync(), why);

        refused.SqlState.ShouldBe(PostgresErrorCodes.CheckViolation, why);
    }

    private static Dictionary<string, object?> Fund(string field, decimal value)
    {
        var body = GrantsFixture.FundBody(1_000m, threshold: 1_000m, householdCap: 1_000m);
        body[field] = value;
        return body;
    }

    private static async Task ShouldNameField(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, text);
        JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(text);
    }
}
