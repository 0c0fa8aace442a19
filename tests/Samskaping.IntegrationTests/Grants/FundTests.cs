using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Grants;

[Collection(GrantsCollection.Name)]
public sealed class FundTests(GrantsFixture grants)
{
    [Fact]
    public async Task Top_ups_and_reallocations_are_ledger_transactions_that_sum_to_zero()
    {
        var from = (await grants.CreateFund(budget: 1_000m)).GetProperty("id").GetGuid();
        var to = (await grants.CreateFund(budget: 0m)).GetProperty("id").GetGuid();
        using var approver = grants.Client("oppvekst", "grant-approver", "fund-admin");

        var topUp = await GrantsFixture.Post(approver, $"/api/grants/funds/{from}/top-ups", new { amount = 500.25m, note = "tilleggsbevilgning" });
        var moved = await GrantsFixture.Post(approver, $"/api/grants/funds/{from}/reallocations", new { toFundId = to, amount = 300m, reason = "kultur trenger mer" });
        var tooMuch = await GrantsFixture.Post(approver, $"/api/grants/funds/{from}/reallocations", new { toFundId = to, amount = 1_200.26m, reason = "alt" });

        topUp.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await topUp.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("balances").GetProperty("budget").GetDecimal().ShouldBe(1_500.25m);
        moved.StatusCode.ShouldBe(HttpStatusCode.OK);
        tooMuch.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await tooMuch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.ShouldContain("only 1200.25 NOK available");
        (await grants.Balances(from)).ShouldBe((1_200.25m, 0m, 0m, -1_500.25m));
        (await grants.Balances(to)).ShouldBe((300m, 0m, 0m, 0m));
        var ledger = await approver.GetFromJsonAsync<JsonElement>($"/api/grants/funds/{from}/ledger");
        ledger.EnumerateArray().Select(t => t.GetProperty("kind").GetString()).ShouldBe(["top-up", "top-up", "reallocation"]);
        foreach (var transaction in ledger.EnumerateArray())
        {
            transaction.GetProperty("entries").EnumerateArray().Sum(e => e.GetProperty("amount").GetDecimal()).ShouldBe(0m);
        }
        await grants.AssertLedgerConsistent();
    }

    [Fact]
    public async Task The_ledger_is_append_only_and_the_database_refuses_an_overdraft_or_an_unbalanced_or_empty_transaction()
    {
        var fund = (await grants.CreateFund(budget: 100m)).GetProperty("id").GetGuid();
        await using var connection = await grants.DataSource.OpenConnectionAsync();

        var edit = await Should.ThrowAsync<PostgresException>(() => Execute(connection, "UPDATE grants.ledger_entries SET amount = amount * 2"));
        edit.MessageText.ShouldContain("append-only");
        await Should.ThrowAsync<PostgresException>(() => Execute(connection, "DELETE FROM grants.ledger_transactions"));

        var overdraft = await Should.ThrowAsync<PostgresException>(() => Execute(connection,
            "UPDATE grants.fund_balances SET available = available - 100.01 WHERE fund_id = @f", fund));
        overdraft.SqlState.ShouldBe(PostgresErrorCodes.CheckViolation);

        // A transaction is one row with its legs (accounts and amounts): the database checks them as the row goes in.
        const string Insert = "INSERT INTO grants.ledger_transactions (id, kind, description, recorded_by, recorded_at, accounts, amounts) ";
        var unbalanced = await Should.ThrowAsync<PostgresException>(() => Execute(connection,
            Insert + "SELECT gen_random_uuid(), 'top-up', 'x', 'x', now(), array_agg(id ORDER BY kind), ARRAY[-5, 4] FROM grants.accounts WHERE fund_id = @f AND kind IN ('budget-source', 'available')",
            fund));
        unbalanced.ConstraintName.ShouldBe("ledger_transaction_balanced");
        var empty = await Should.ThrowAsync<PostgresException>(() => Execute(connection,
            Insert + "VALUES (gen_random_uuid(), 'top-up', 'x', 'x', now(), '{}', '{}')"));
        empty.ConstraintName.ShouldBe("ledger_transaction_legs");
        // One leg of nothing sums to zero: only the legs' own rule is left to refuse it.
        var oneLeg = await Should.ThrowAsync<PostgresException>(() => Execute(connection,
            Insert + "SELECT gen_random_uuid(), 'top-up', 'x', 'x', now(), ARRAY[id], ARRAY[0] FROM grants.accounts WHERE fund_id = @f AND kind = 'available'",
            fund));
        oneLeg.ConstraintName.ShouldBe("ledger_transaction_legs");
        var noAccount = await Should.ThrowAsync<PostgresException>(() => Execute(connection,
            Insert + "SELECT gen_random_uuid(), 'top-up', 'x', 'x', now(), ARRAY[id, gen_random_uuid()], ARRAY[-5, 5] FROM grants.accounts WHERE fund_id = @f AND kind = 'budget-source'",
            fund));
        noAccount.SqlState.ShouldBe(PostgresErrorCodes.ForeignKeyViolation);
        var sameAccountTwice = await Should.ThrowAsync<PostgresException>(() => Execute(connection,
            Insert + "SELECT gen_random_uuid(), 'top-up', 'x', 'x', now(), ARRAY[id, id], ARRAY[-5, 5] FROM grants.accounts WHERE fund_id = @f AND kind = 'available'",
            fund));
        sameAccountTwice.SqlState.ShouldBe(PostgresErrorCodes.ForeignKeyViolation);
        // What a leg names stays there.
        (await Should.ThrowAsync<PostgresException>(() => Execute(connection, "DELETE FROM grants.accounts WHERE fund_id = @f", fund)))
            .MessageText.ShouldContain("append-only");
        (await grants.Balances(fund)).ShouldBe((100m, 0m, 0m, -100m));
    }

    [Fact]
    public async Task FundLow_is_announced_once_per_crossing_below_the_threshold()
    {
        var fund = (await grants.CreateFund(budget: 1_000m, lowBalance: 500m)).GetProperty("id").GetGuid();
        var caseId = await grants.OpenCase();
        using var kari = grants.Client("oppvekst", "caseworker", "kari");
        using var approver = grants.Client("oppvekst", "grant-approver", "fund-admin");

        await Approve(kari, caseId, fund, 400m);  // 600 left: not low
        (await grants.Events("FundLow", "fundId", fund)).ShouldBe(0);
        await Approve(kari, caseId, fund, 200m);  // 400 left: crosses below 500
        await Approve(kari, caseId, fund, 100m);  // 300 left: still low, no second FundLow
        (await grants.Events("FundLow", "fundId", fund)).ShouldBe(1);

        (await GrantsFixture.Post(approver, $"/api/grants/funds/{fund}/top-ups", new { amount = 1_000m })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Approve(kari, caseId, fund, 900m);  // 1300 → 400: a new crossing
        (await grants.Events("FundLow", "fundId", fund)).ShouldBe(2);
    }

    private static async Task Approve(HttpClient client, Guid caseId, Guid fund, decimal amount)
    {
        var grantId = (await GrantsFixture.RequestGrant(client, caseId, GrantsFixture.Request(fund, amount))).GetProperty("id").GetGuid();
        (await GrantsFixture.Post(client, $"/api/grants/grants/{grantId}/approve", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, Guid? fund = null)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("f", fund ?? Guid.Empty);
        try
        {
            await command.ExecuteNonQueryAsync();
        }
        catch
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync();
            throw;
        }
    }
}
