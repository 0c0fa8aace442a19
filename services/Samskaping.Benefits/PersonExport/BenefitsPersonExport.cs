using System.Text.Json;
using Dapper;
using Npgsql;
using Samskaping.Access;

namespace Samskaping.Benefits.PersonExport;

/// <summary>
/// Benefits' part of a person's export: per case of the person, the Digisos status document (the feed) as it stands,
/// whether and when it was delivered to the benefit system, and under which Digisos id. Only the current version of a
/// document is kept, so <see cref="DigisosDocument.Sent"/> says whether that version is the one delivered.
/// </summary>
public static class BenefitsPersonExport
{
    public static async Task<PersonExportContent> Read(NpgsqlConnection connection, PersonExportQuery query, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT case_id AS CaseId, version, state, digisos_id AS DigisosId, delivered_version AS DeliveredVersion,
                   delivered_at AS DeliveredAt, changed_at AS ChangedAt, document::text AS Document
            FROM benefits.feeds WHERE case_id = ANY(@caseIds) ORDER BY changed_at, case_id
            """, new { caseIds = query.Cases }, cancellationToken: ct));
        var documents = rows.Select(r => new DigisosDocument(r.CaseId, r.Version, r.State, r.DigisosId, r.DeliveredVersion, r.DeliveredAt,
            r.ChangedAt, r.DeliveredVersion == r.Version, JsonDocument.Parse(r.Document).RootElement.Clone())).ToList();
        return new PersonExportContent(new BenefitsData(documents), []);
    }

    public sealed record BenefitsData(IReadOnlyList<DigisosDocument> DigisosDocuments);

    public sealed record DigisosDocument(Guid CaseId, int Version, string State, string? DigisosId, int? DeliveredVersion, DateTime? DeliveredAt,
        DateTime ChangedAt, bool Sent, JsonElement Document);

    private sealed record Row(Guid CaseId, int Version, string State, string? DigisosId, int? DeliveredVersion, DateTime? DeliveredAt,
        DateTime ChangedAt, string Document);
}
