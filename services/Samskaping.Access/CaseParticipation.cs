using Dapper;
using Npgsql;
using Samskaping.ServiceDefaults;

namespace Samskaping.Access;

/// <summary>
/// This service's local knowledge of which sectors take part in a case (docs/architecture.md §5): a user sees a case only
/// when their sector participates. Answers without calling coordination.
/// </summary>
public sealed class CaseParticipation(NpgsqlDataSource dataSource)
{
    public async Task<bool> Participates(Guid caseId, CurrentUser user, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM access.case_sectors WHERE case_id = @caseId AND sector = @sector AND participating)",
            new { caseId, sector = user.Sector }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<string>> Sectors(Guid caseId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await Sectors(caseId, connection, ct);
    }

    /// <summary>The sectors taking part in the case, on the request's connection.</summary>
    public static async Task<IReadOnlyList<string>> Sectors(Guid caseId, NpgsqlConnection connection, CancellationToken ct)
    {
        var sectors = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT sector FROM access.case_sectors WHERE case_id = @caseId AND participating ORDER BY sector",
            new { caseId }, cancellationToken: ct));
        return sectors.AsList();
    }

    /// <summary>Records a sector's participation as of <paramref name="at"/>, unless a newer change is already known.</summary>
    public static Task Record(Guid caseId, string sector, string role, bool participating, DateTimeOffset at, NpgsqlTransaction tx, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(RecordSql, new { caseId, sector, role, participating, at }, tx, cancellationToken: ct));

    internal const string RecordSql = """
        INSERT INTO access.case_sectors (case_id, sector, role, participating, changed_at)
        VALUES (@caseId, @sector, @role, @participating, @at)
        ON CONFLICT (case_id, sector) DO UPDATE
            SET role = excluded.role, participating = excluded.participating, changed_at = excluded.changed_at
            WHERE access.case_sectors.changed_at <= excluded.changed_at
        """;
}
