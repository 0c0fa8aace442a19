using Dapper;
using Npgsql;
using Samskaping.Access;
using Samskaping.Coordination.RelayLog;

namespace Samskaping.Coordination.PersonExport;

/// <summary>
/// Coordination's part of a person's export: the groups of the person's cases, their sectors and lead coordinators,
/// handovers and the relay log. Ordinary relay-log entries are handed over; entries written under professional
/// secrecy or restricted to their author are held back and listed with the reason, so the person can ask for them
/// and the sector that wrote them can assess it (docs/privacy.md, "Innsyn og dataportabilitet").
/// </summary>
public static class CoordinationPersonExport
{
    public static Task<PersonExportContent> Read(NpgsqlConnection connection, PersonExportQuery query, CancellationToken ct) =>
        Read(connection, query.Cases, ct);

    private static async Task<PersonExportContent> Read(NpgsqlConnection connection, Guid[] caseIds, CancellationToken ct)
    {
        var p = new { caseIds };
        var groups = await connection.QueryAsync<Group>(new CommandDefinition(
            "SELECT case_id AS CaseId, created_at AS CreatedAt FROM coordination.groups WHERE case_id = ANY(@caseIds) ORDER BY created_at",
            p, cancellationToken: ct));
        var sectors = await connection.QueryAsync<GroupSector>(new CommandDefinition(
            """
            SELECT case_id AS CaseId, sector, role, joined_at AS JoinedAt, NULL::timestamptz AS LeftAt, NULL AS Reason
            FROM coordination.group_sectors WHERE case_id = ANY(@caseIds)
            UNION ALL
            SELECT case_id, sector, role, joined_at, left_at, reason
            FROM coordination.sector_departures WHERE case_id = ANY(@caseIds)
            ORDER BY CaseId, JoinedAt
            """, p, cancellationToken: ct));
        var leads = await connection.QueryAsync<Lead>(new CommandDefinition(
            "SELECT case_id AS CaseId, coordinator, sector, since, until FROM coordination.lead_coordinators WHERE case_id = ANY(@caseIds) ORDER BY case_id, since",
            p, cancellationToken: ct));
        var handovers = await connection.QueryAsync<Handover>(new CommandDefinition(
            """
            SELECT case_id AS CaseId, from_coordinator AS FromCoordinator, from_sector AS FromSector, to_coordinator AS ToCoordinator,
                   to_sector AS ToSector, note, requested_at AS RequestedAt, status, decided_at AS DecidedAt, reason
            FROM coordination.handovers WHERE case_id = ANY(@caseIds) ORDER BY case_id, requested_at
            """, p, cancellationToken: ct));
        var relayLog = (await connection.QueryAsync<Relay>(new CommandDefinition(
            """
            SELECT id, case_id AS CaseId, type, author, author_sector AS AuthorSector, at, confidentiality, text, corrects
            FROM coordination.relay_log WHERE case_id = ANY(@caseIds) ORDER BY case_id, at, id
            """, p, cancellationToken: ct))).ToList();

        var given = relayLog.Where(r => r.Confidentiality == RelayLogRules.Confidentiality.Ordinary).ToList();
        var heldBack = relayLog.Where(r => r.Confidentiality != RelayLogRules.Confidentiality.Ordinary)
            .Select(r => new HeldBackEntry("relay-log-entry", r.Id, r.CaseId, r.At, Reason(r)))
            .ToList();
        return new PersonExportContent(
            new CoordinationData([.. groups], [.. sectors], [.. leads], [.. handovers], given), heldBack);
    }

    // The two exceptions, in the words the person reads: what the entry is, why it is not in the export, whom to ask.
    private static string Reason(Relay entry) => entry.Confidentiality == RelayLogRules.Confidentiality.ProfessionalSecrecy
        ? $"Notatet er skrevet under taushetsplikt ({Sector(entry)}). Det gis ikke ut før sektoren som skrev det har vurdert om det " +
          "inneholder opplysninger om andre personer, eller om noe annet i loven hindrer innsyn. Du kan be om det."
        : $"Notatet er skjermet: bare den som skrev det ({Sector(entry)}) og stafettholderen kan lese det, fordi det kan inneholde " +
          "opplysninger om andre personer enn deg (tredjepersoner). Du kan be om det, og da blir det vurdert.";

    private static string Sector(Relay entry) => entry.AuthorSector is { } sector ? $"sektor {sector}" : "systemet";

    public sealed record CoordinationData(
        IReadOnlyList<Group> Groups, IReadOnlyList<GroupSector> Sectors, IReadOnlyList<Lead> LeadCoordinators,
        IReadOnlyList<Handover> Handovers, IReadOnlyList<Relay> RelayLog);

    public sealed record Group(Guid CaseId, DateTime CreatedAt);

    public sealed record GroupSector(Guid CaseId, string Sector, string Role, DateTime JoinedAt, DateTime? LeftAt, string? Reason);

    public sealed record Lead(Guid CaseId, string Coordinator, string Sector, DateTime Since, DateTime? Until);

    public sealed record Handover(Guid CaseId, string FromCoordinator, string FromSector, string ToCoordinator, string ToSector,
        string? Note, DateTime RequestedAt, string Status, DateTime? DecidedAt, string? Reason);

    public sealed record Relay(Guid Id, Guid CaseId, string Type, string Author, string? AuthorSector, DateTime At,
        string Confidentiality, string Text, Guid? Corrects);
}
