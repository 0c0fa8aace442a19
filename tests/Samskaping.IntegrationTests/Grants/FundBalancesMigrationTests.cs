using DbUp;
using Npgsql;
using Samskaping.Grants;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.Messaging.Database;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Grants;

/// <summary>
/// Migration 0011 moves every fund's money from its four account rows into one balances row. A database that has
/// been posting for years must come out with the same money, balance for balance, and keep posting.
/// </summary>
public sealed class FundBalancesMigrationTests
{
    private const string Fund = "11111111-1111-1111-1111-111111111111";
    private const string Empty = "22222222-2222-2222-2222-222222222222";

    [Fact]
    public async Task A_ledger_written_before_the_balances_row_keeps_every_balance_and_posts_on()
    {
        await using var database = await TestDatabase.Create("grants_0011");
        Upgrade(database.ConnectionString, name => !name.Contains("0011_grants_fund_balances", StringComparison.Ordinal));
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            // Two funds as the service of that time made them (accounts with balances; money only through grants.post):
            // one topped up, reserved from and paid from; one with no money at all.
            await using var seed = new NpgsqlCommand(
                $"""
                INSERT INTO grants.funds (id, name, owner, period_start, period_end, approval_threshold, household_cap,
                                          low_balance_threshold, report_to_benefit_system, created_by, created_at)
                VALUES ('{Fund}', 'Fritid', 'kultur', '2026-01-01', '2027-01-01', 1000, 5000, 0, false, 'x', now()),
                       ('{Empty}', 'Tom', 'kultur', '2026-01-01', '2027-01-01', 1000, 5000, 0, false, 'x', now());
                INSERT INTO grants.accounts (id, fund_id, kind)
                SELECT gen_random_uuid(), f, k FROM unnest(ARRAY['{Fund}', '{Empty}']::uuid[]) AS f,
                                                   unnest(ARRAY['budget-source', 'available', 'reserved', 'paid']) AS k;
                SELECT grants.post(gen_random_uuid(), 'top-up', NULL, NULL, 'budget', 'x', now(), ARRAY['{Fund}', '{Fund}']::uuid[],
                                   ARRAY['budget-source', 'available'], ARRAY[-1000.50, 1000.50], NULL, NULL, 'x', NULL);
                SELECT grants.post(gen_random_uuid(), 'reserve', NULL, NULL, 'grant', 'x', now(), ARRAY['{Fund}', '{Fund}']::uuid[],
                                   ARRAY['available', 'reserved'], ARRAY[-400, 400], NULL, NULL, 'x', NULL);
                SELECT grants.post(gen_random_uuid(), 'pay', NULL, NULL, 'paid', 'x', now(), ARRAY['{Fund}', '{Fund}']::uuid[],
                                   ARRAY['reserved', 'paid'], ARRAY[-100.25, 100.25], NULL, NULL, 'x', NULL);
                """, connection);
            await seed.ExecuteNonQueryAsync();
        }

        Upgrade(database.ConnectionString, _ => true);

        (await database.Scalar<string>($"SELECT concat_ws(' ', budget_source, available, reserved, paid) FROM grants.fund_balances WHERE fund_id = '{Fund}'"))
            .ShouldBe("-1000.50 600.50 299.75 100.25");
        (await database.Scalar<string>($"SELECT concat_ws(' ', budget_source, available, reserved, paid) FROM grants.fund_balances WHERE fund_id = '{Empty}'"))
            .ShouldBe("0.00 0.00 0.00 0.00");
        (await database.Scalar<long>(
            "SELECT count(*) FROM grants.account_balances a WHERE a.balance <> coalesce((SELECT sum(amount) FROM grants.ledger_entries e WHERE e.account_id = a.id), 0)"))
            .ShouldBe(0, "every account's balance is the sum of its entries");

        // Posting goes on: a reservation of what is left, then one cent more, refused with the leg and the balance found.
        await using var after = new NpgsqlConnection(database.ConnectionString);
        await after.OpenAsync();
        await using (var reserve = new NpgsqlCommand(
            $"SELECT grants.post(gen_random_uuid(), 'reserve', NULL, NULL, 'grant', 'x', now(), ARRAY['{Fund}', '{Fund}']::uuid[], ARRAY['available', 'reserved'], ARRAY[-600.50, 600.50], NULL, NULL, 'x', NULL)",
            after))
        {
            await reserve.ExecuteNonQueryAsync();
        }
        await using var overdraft = new NpgsqlCommand(
            $"SELECT grants.post(gen_random_uuid(), 'reserve', NULL, NULL, 'grant', 'x', now(), ARRAY['{Fund}', '{Fund}']::uuid[], ARRAY['available', 'reserved'], ARRAY[-0.01, 0.01], NULL, NULL, 'x', NULL)",
            after);
        var refused = await Should.ThrowAsync<PostgresException>(() => overdraft.ExecuteNonQueryAsync());
        refused.SqlState.ShouldBe(PostgresErrorCodes.CheckViolation);
        refused.ConstraintName.ShouldBe("fund_accounts_never_negative");
        refused.Hint.ShouldBe("1 0.00");
        (await database.Scalar<string>($"SELECT concat_ws(' ', budget_source, available, reserved, paid) FROM grants.fund_balances WHERE fund_id = '{Fund}'"))
            .ShouldBe("-1000.50 0.00 900.25 100.25");
    }

    /// <summary>The service's migrations (messaging's, then grants') as the service runs them, those <paramref name="wanted"/> only.</summary>
    private static void Upgrade(string connectionString, Func<string, bool> wanted)
    {
        var result = DeployChanges.To
            .PostgresqlDatabase(connectionString)
            .WithScriptsEmbeddedInAssemblies(
                [typeof(MigrationAssemblies).Assembly, typeof(GrantsModule).Assembly],
                name => name.Contains(".Migrations.", StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal) && wanted(name))
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build()
            .PerformUpgrade();
        result.Successful.ShouldBeTrue(result.Error?.ToString());
    }
}
