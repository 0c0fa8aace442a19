using Dapper;
using Npgsql;
using Samskaping.ServiceDefaults;
using Samskaping.Contracts.Cases;
using Samskaping.Contracts.Coordination;
using Samskaping.Messaging.Outbox;

namespace Samskaping.Coordination.Groups;

public sealed record GroupSector(string Sector, string Role, DateTimeOffset JoinedAt);

public sealed record LeadCoordinator(string Coordinator, string Sector, DateTimeOffset Since);

/// <summary>A case's coordination group (samarbeidsgruppe) with its current lead coordinator.</summary>
public sealed record CoordinationGroup(Guid CaseId, DateTimeOffset CreatedAt, IReadOnlyList<GroupSector> Sectors, LeadCoordinator? Lead)
{
    public bool Includes(string sector) => Sectors.Any(s => s.Sector == sector);
}

public sealed class GroupStore(NpgsqlDataSource dataSource, Outbox outbox)
{
    /// <summary>Creates the group for a newly opened case: the opener's sector leads, the opener is lead coordinator.</summary>
    public async Task Create(CaseOpened opened, NpgsqlTransaction tx, CancellationToken ct)
    {
        var connection = tx.Connection!;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO coordination.groups (case_id, created_at) VALUES (@CaseId, @OpenedAt);
            INSERT INTO coordination.group_sectors (case_id, sector, role, joined_at) VALUES (@CaseId, @OpenedBySector, 'lead', @OpenedAt);
            INSERT INTO coordination.lead_coordinators (id, case_id, coordinator, sector, since)
            VALUES (@leadId, @CaseId, @OpenedBy, @OpenedBySector, @OpenedAt);
            """,
            new { opened.CaseId, opened.OpenedAt, opened.OpenedBySector, opened.OpenedBy, leadId = Guid.CreateVersion7(opened.OpenedAt) },
            tx, cancellationToken: ct));
        await outbox.Enqueue(new SectorJoinedCase(opened.CaseId, opened.OpenedBySector, "lead", opened.OpenedAt), tx, ct);
        await outbox.Enqueue(new CoordinatorAssigned(opened.CaseId, opened.OpenedBy, opened.OpenedBySector, opened.OpenedAt), tx, ct);
    }

    public async Task<CoordinationGroup?> Find(Guid caseId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var createdAt = await connection.QuerySingleOrDefaultAsync<DateTime?>(new CommandDefinition(
            "SELECT created_at FROM coordination.groups WHERE case_id = @caseId", new { caseId }, cancellationToken: ct));
        if (createdAt is null)
        {
            return null;
        }
        var sectors = await connection.QueryAsync<(string Sector, string Role, DateTime JoinedAt)>(new CommandDefinition(
            "SELECT sector, role, joined_at FROM coordination.group_sectors WHERE case_id = @caseId ORDER BY joined_at, sector",
            new { caseId }, cancellationToken: ct));
        var lead = await connection.QuerySingleOrDefaultAsync<(string Coordinator, string Sector, DateTime Since)?>(new CommandDefinition(
            "SELECT coordinator, sector, since FROM coordination.lead_coordinators WHERE case_id = @caseId AND until IS NULL",
            new { caseId }, cancellationToken: ct));
        return new CoordinationGroup(
            caseId, createdAt.Value.AsUtc(),
            [.. sectors.Select(s => new GroupSector(s.Sector, s.Role, s.JoinedAt.AsUtc()))],
            lead is { } l ? new LeadCoordinator(l.Coordinator, l.Sector, l.Since.AsUtc()) : null);
    }

}
