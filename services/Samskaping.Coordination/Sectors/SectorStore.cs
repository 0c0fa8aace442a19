using Dapper;
using Npgsql;
using Samskaping.ServiceDefaults;

namespace Samskaping.Coordination.Sectors;

public sealed class SectorStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task<IReadOnlyList<Sector>> All(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(string Code, string Name, string AddedBy, DateTime AddedAt)>(new CommandDefinition(
            "SELECT code, name, added_by, added_at FROM coordination.sectors ORDER BY code", cancellationToken: ct));
        return [.. rows.Select(r => new Sector(r.Code, r.Name, r.AddedBy, r.AddedAt.AsUtc()))];
    }

    public static Task<bool> Exists(string code, NpgsqlConnection connection, CancellationToken ct) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM coordination.sectors WHERE code = @code)", new { code }, cancellationToken: ct));

    public async Task<Result<Sector>> Add(AddSector valid, CurrentUser user, CancellationToken ct)
    {
        var sector = new Sector(valid.Code!, valid.Name!, user.Subject, clock.Now());
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var added = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO coordination.sectors (code, name, added_by, added_at) VALUES (@Code, @Name, @AddedBy, @AddedAt)
            ON CONFLICT (code) DO NOTHING
            """, sector, cancellationToken: ct));
        return added == 1
            ? sector
            : Refusal.Conflict("The sector exists already.", $"There is already a sector with code '{sector.Code}'.");
    }

    /// <summary>The 422 for a sector code the registry does not know.</summary>
    public static Refusal Unknown(string field, string code) =>
        Refusal.Unprocessable("Unknown sector.", field, $"There is no sector '{code}' in the sector registry (GET /api/coordination/sectors).");
}
