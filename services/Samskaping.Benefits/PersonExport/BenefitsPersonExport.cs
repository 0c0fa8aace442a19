using System.Text.Json;
using Dapper;
using Npgsql;
using Samskaping.Access;

namespace Samskaping.Benefits.PersonExport;

/// <summary>
/// Benefits' part of a person's export: per case of the person, the Digisos status document (the feed) as it stands,
/// whether and when it was delivered to the benefit system, and under which Digisos id
/// (<see cref="DigisosDocument.Sent"/>: whether the current version is the one delivered); and every version the
/// benefit system received, as it was sent (<see cref="SentDocument"/>).
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
        var sent = (await connection.QueryAsync<SentRow>(new CommandDefinition(
            """
            SELECT case_id AS CaseId, version, digisos_id AS DigisosId, delivered_at AS DeliveredAt, document::text AS Document
            FROM benefits.feed_deliveries WHERE case_id = ANY(@caseIds) ORDER BY delivered_at, case_id, version
            """, new { caseIds = query.Cases }, cancellationToken: ct)))
            .Select(r => new SentDocument(r.CaseId, r.Version, r.DigisosId, r.DeliveredAt, JsonDocument.Parse(r.Document).RootElement.Clone()))
            .ToList();
        return new PersonExportContent(new BenefitsData(documents, sent), []);
    }

    public sealed record BenefitsData(IReadOnlyList<DigisosDocument> DigisosDocuments, IReadOnlyList<SentDocument> SentDocuments);

    /// <summary>One version of a case's Digisos document as the benefit system received it.</summary>
    public sealed record SentDocument(Guid CaseId, int Version, string DigisosId, DateTime DeliveredAt, JsonElement Document);

    private sealed record SentRow(Guid CaseId, int Version, string DigisosId, DateTime DeliveredAt, string Document);

    public sealed record DigisosDocument(Guid CaseId, int Version, string State, string? DigisosId, int? DeliveredVersion, DateTime? DeliveredAt,
        DateTime ChangedAt, bool Sent, JsonElement Document);

    private sealed record Row(Guid CaseId, int Version, string State, string? DigisosId, int? DeliveredVersion, DateTime? DeliveredAt,
        DateTime ChangedAt, string Document);
}
