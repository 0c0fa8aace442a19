using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Samskaping.Access;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.ServiceDefaults;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Security.Privacy;

/// <summary>
/// The access log has its own retention (docs/privacy.md, "The access log's own retention"). In
/// every service the sweep removes the entries older than the period, oldest first, through the audited
/// <c>access.purge_access_log</c> alone, and the log stays append-only for every other path. The databases are
/// shared with the other tests: only this test's own case gets entries from before the cut-off, and the sweep's
/// clock is set back so its cut-off lies twenty years ago, far before any other test's entries.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class AccessLogRetentionTests(SystemFixture system)
{
    private const int Years = 5;

    [Theory]
    [InlineData("cases")]
    [InlineData("coordination")]
    [InlineData("grants")]
    [InlineData("outcomes")]
    [InlineData("benefits")]
    public async Task The_sweep_removes_only_the_entries_past_the_period_once_with_an_audit_row_and_the_log_stays_append_only(string service)
    {
        var caseId = Guid.NewGuid();
        await using var connection = new NpgsqlConnection(system.Database(service).ConnectionString);
        await connection.OpenAsync();
        await Insert(connection, caseId, "30 years", "29 years", "25 years");
        await Insert(connection, caseId, "10 years", "0 seconds");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddYears(-15));
        var before = clock.Now().AddYears(-Years);

        var removed = await Sweep(service, clock);

        (await Ages(connection, caseId)).ShouldBe(["10 years", "0 seconds"], customMessage: "the entries newer than the cut-off stay");
        removed.ShouldBeGreaterThanOrEqualTo(3);
        var audit = (await connection.QueryAsync<(int Rows, string PurgedBy)>(
            "SELECT rows, purged_by FROM access.access_log_purges WHERE before = @before", new { before })).ToList();
        var purge = audit.ShouldHaveSingleItem("one audit row for the sweep that removed entries");
        purge.Rows.ShouldBe(removed);
        purge.PurgedBy.ShouldBe(AccessLogRetention.PurgedBy);

        // A second sweep finds nothing more, and writes no audit row for nothing.
        (await Sweep(service, clock)).ShouldBe(0);
        (await Ages(connection, caseId)).ShouldBe(["10 years", "0 seconds"]);
        (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM access.access_log_purges WHERE before = @before", new { before })).ShouldBe(1);

        // Every other path meets the append-only trigger: outside the function, and after it in the same transaction.
        foreach (var sql in new[]
        {
            "DELETE FROM access.access_log WHERE case_id = @caseId",
            "UPDATE access.access_log SET purpose = 'rewritten' WHERE case_id = @caseId",
            "SELECT access.purge_access_log('1900-01-01', 1, 'test'); DELETE FROM access.access_log WHERE case_id = @caseId",
        })
        {
            var refused = await Should.ThrowAsync<PostgresException>(() => connection.ExecuteAsync(sql, new { caseId }));
            refused.MessageText.ShouldContain("append-only", customMessage: sql);
        }
        (await Ages(connection, caseId)).ShouldBe(["10 years", "0 seconds"]);
    }

    [Fact]
    public async Task A_sweep_repeats_its_batches_until_one_comes_back_short()
    {
        var caseId = Guid.NewGuid();
        await using var connection = new NpgsqlConnection(system.Database("grants").ConnectionString);
        await connection.OpenAsync();
        await Insert(connection, caseId, "40 years", "39 years", "38 years", "37 years", "36 years");
        await Insert(connection, caseId, "1 year");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddYears(-25));
        var before = clock.Now().AddYears(-Years);

        var removed = await Sweep("grants", clock, batchSize: 2);

        (await Ages(connection, caseId)).ShouldBe(["1 year"]);
        removed.ShouldBeGreaterThanOrEqualTo(5);
        var batches = (await connection.QueryAsync<int>(
            "SELECT rows FROM access.access_log_purges WHERE before = @before ORDER BY at, rows DESC", new { before })).ToList();
        batches.Sum().ShouldBe(removed);
        batches.ShouldAllBe(rows => rows >= 1 && rows <= 2);
        batches[^1].ShouldBe(removed % 2 == 0 ? 2 : 1);
    }

    /// <summary>The service's own sweep, with its database and logger, on the test's clock and period.</summary>
    private async Task<int> Sweep(string service, TimeProvider clock, int batchSize = 5000) =>
        await ActivatorUtilities.CreateInstance<AccessLogRetention>(
            system.Services(service), clock, Options.Create(new AccessLogRetentionOptions { Years = Years, BatchSize = batchSize }))
            .RunOnce(CancellationToken.None);

    private static async Task Insert(NpgsqlConnection connection, Guid caseId, params string[] ages)
    {
        foreach (var age in ages)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO access.access_log (id, at, subject, role, sector, case_id, action, purpose)
                VALUES (gen_random_uuid(), now() - @age::interval, 'retention-test', 'caseworker', 'oppvekst', @caseId, 'read-case', @age)
                """, new { caseId, age });
        }
    }

    /// <summary>The ages (kept in the purpose column) of the case's entries, oldest first.</summary>
    private static async Task<string[]> Ages(NpgsqlConnection connection, Guid caseId) =>
        [.. await connection.QueryAsync<string>("SELECT purpose FROM access.access_log WHERE case_id = @caseId ORDER BY at", new { caseId })];
}
