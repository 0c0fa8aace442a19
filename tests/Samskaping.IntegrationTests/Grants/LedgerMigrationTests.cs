using DbUp;
using Npgsql;
using Samskaping.Grants;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.Messaging.Database;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Grants;

/// <summary>
/// Migrations that reshape the ledger: 0011 moves every fund's money from its four account rows into one balances row,
/// 0012 folds each transaction's entry rows into the transaction's row. A database that has been posting for years must
/// come out with the same money and the same entries, and keep posting.
/// </summary>
public sealed class LedgerMigrationTests
{
    private const string Fund = "11111111-1111-1111-1111-111111111111";
    private const string Empty = "22222222-2222-2222-2222-222222222222";

    [Fact]
    public async Task A_ledger_written_before_the_balances_row_keeps_every_balance_and_posts_on()
    {
        await using var database = await TestDatabase.Create("grants_0011");
        Upgrade(database.ConnectionString, GrantsBefore(11));
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            // Two funds as the service of that time made them (accounts with balances; money only through grants.post):
            // one topped up, reserved from and paid from; one with no money at all.
            await using var seed = new NpgsqlCommand(
                $"""
                {TwoFunds}
                {Post("top-up", Fund, "budget-source", Fund, "available", 1000.50m)}
                {Post("reserve", Fund, "available", Fund, "reserved", 400m)}
                {Post("pay", Fund, "reserved", Fund, "paid", 100.25m)}
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

    [Fact]
    public async Task A_ledger_written_as_entry_rows_keeps_every_entry_in_its_transaction_and_posts_on()
    {
        await using var database = await TestDatabase.Create("grants_0012");
        Upgrade(database.ConnectionString, GrantsBefore(12));
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            // Two funds with their balances rows, as the service of that time made them, and every kind of transaction,
            // one of them across the two funds.
            await using var seed = new NpgsqlCommand(
                $"""
                {TwoFunds}
                INSERT INTO grants.fund_balances (fund_id) VALUES ('{Fund}'), ('{Empty}');
                {Post("top-up", Fund, "budget-source", Fund, "available", 1000.50m)}
                {Post("reserve", Fund, "available", Fund, "reserved", 400m)}
                {Post("pay", Fund, "reserved", Fund, "paid", 100.25m)}
                {Post("release", Fund, "reserved", Fund, "available", 50m)}
                {Post("reallocation", Fund, "available", Empty, "available", 75m)}
                """, connection);
            await seed.ExecuteNonQueryAsync();
        }
        const string Entries = "SELECT string_agg(concat_ws(' ', transaction_id, account_id, amount), ',' ORDER BY transaction_id, account_id) FROM grants.ledger_entries";
        var before = await database.Scalar<string>(Entries);

        Upgrade(database.ConnectionString, _ => true);

        (await database.Scalar<string>(Entries)).ShouldBe(before, "every entry, in its transaction, with its amount");
        (await database.Scalar<long>("SELECT count(*) FROM grants.ledger_entries")).ShouldBe(10);
        (await database.Scalar<string>("SELECT amounts::text FROM grants.ledger_transactions WHERE kind = 'reallocation'"))
            .ShouldBe("{-75.00,75.00}", "legs by fund, then account, as grants.post writes them");
        (await database.Scalar<long>(
            """
            SELECT count(*) FROM grants.account_balances a
            LEFT JOIN (SELECT account_id, sum(amount) AS total FROM grants.ledger_entries GROUP BY account_id) e ON e.account_id = a.id
            WHERE a.balance <> coalesce(e.total, 0)
            """)).ShouldBe(0, "every account's balance is the sum of its entries");

        await using var after = new NpgsqlConnection(database.ConnectionString);
        await after.OpenAsync();
        await using (var reserve = new NpgsqlCommand(
            $"SELECT grants.post(gen_random_uuid(), 'reserve', NULL, NULL, 'grant', 'x', now(), ARRAY['{Fund}', '{Fund}']::uuid[], ARRAY['available', 'reserved'], ARRAY[-575.50, 575.50], NULL, NULL, 'x', NULL)",
            after))
        {
            await reserve.ExecuteNonQueryAsync();
        }
        (await database.Scalar<string>($"SELECT concat_ws(' ', budget_source, available, reserved, paid) FROM grants.fund_balances WHERE fund_id = '{Fund}'"))
            .ShouldBe("-1000.50 0.00 825.25 100.25");
        (await database.Scalar<long>("SELECT count(*) FROM grants.ledger_entries")).ShouldBe(12);
    }

    /// <summary>Two funds with their four accounts, as the service makes them.</summary>
    private const string TwoFunds = $"""
        INSERT INTO grants.funds (id, name, owner, period_start, period_end, approval_threshold, household_cap,
                                  low_balance_threshold, report_to_benefit_system, created_by, created_at)
        VALUES ('{Fund}', 'Fritid', 'kultur', '2026-01-01', '2027-01-01', 1000, 5000, 0, false, 'x', now()),
               ('{Empty}', 'Tom', 'kultur', '2026-01-01', '2027-01-01', 1000, 5000, 0, false, 'x', now());
        INSERT INTO grants.accounts (id, fund_id, kind)
        SELECT gen_random_uuid(), f, k FROM unnest(ARRAY['{Fund}', '{Empty}']::uuid[]) AS f,
                                           unnest(ARRAY['budget-source', 'available', 'reserved', 'paid']) AS k;
        """;

    /// <summary>One ledger transaction through <c>grants.post</c>: <paramref name="amount"/> from one account to another.</summary>
    private static string Post(string kind, string fromFund, string from, string toFund, string to, decimal amount) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"SELECT grants.post(gen_random_uuid(), '{kind}', NULL, NULL, '{kind}', 'x', now(), ARRAY['{fromFund}', '{toFund}']::uuid[], ARRAY['{from}', '{to}'], ARRAY[-{amount}, {amount}], NULL, NULL, 'x', NULL);");

    /// <summary>Every messaging migration, and grants' before number <paramref name="migration"/>.</summary>
    private static Func<string, bool> GrantsBefore(int migration) => name =>
        !name.Contains("Grants.Migrations.", StringComparison.Ordinal)
        || int.Parse(name.Split("Grants.Migrations.")[1][..4], System.Globalization.CultureInfo.InvariantCulture) < migration;

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
