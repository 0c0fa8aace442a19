using Samskaping.ServiceDefaults;
using Dapper;
using Npgsql;
using Samskaping.Contracts.Cases;

namespace Samskaping.Grants.Cases;

/// <summary>What the grants service knows of a case: that it exists, who opened it and when.</summary>
public sealed record GrantCase(Guid CaseId, string OpenedBySector, DateTimeOffset OpenedAt, DateTimeOffset RecordedAt);

public sealed class GrantCaseStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public Task Record(CaseOpened opened, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO grants.cases (case_id, opened_by_sector, opened_at, recorded_at)
            VALUES (@CaseId, @OpenedBySector, @OpenedAt, @now)
            ON CONFLICT (case_id) DO NOTHING
            """, new { opened.CaseId, opened.OpenedBySector, opened.OpenedAt, now = clock.Now() }, tx, cancellationToken: ct));

    public async Task<GrantCase?> Find(Guid caseId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT case_id AS CaseId, opened_by_sector AS OpenedBySector, opened_at AS OpenedAt, recorded_at AS RecordedAt FROM grants.cases WHERE case_id = @caseId",
            new { caseId }, cancellationToken: ct));
        return row is null ? null : new GrantCase(row.CaseId, row.OpenedBySector, row.OpenedAt.AsUtc(), row.RecordedAt.AsUtc());
    }

    private sealed record Row(Guid CaseId, string OpenedBySector, DateTime OpenedAt, DateTime RecordedAt);
}
