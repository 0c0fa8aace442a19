using Dapper;
using Npgsql;
using Samskaping.ServiceDefaults;

namespace Samskaping.Outcomes.Reports;

/// <summary>One person's baseline and latest score in a domain, with the facts a report splits by.</summary>
public sealed record ChangeRow(
    Guid PersonId,
    Guid CaseId,
    DateTimeOffset LatestAt,
    string InstrumentId,
    int Version,
    double Baseline,
    double Latest,
    string? LeadSector,
    decimal Paid,
    long Adults,
    long Children,
    IReadOnlyList<string> NegativeEffects,
    string BaselineRespondent,
    string LatestRespondent);

/// <summary>One response for the research export: no names, no identity numbers, no birth dates, no free text.</summary>
public sealed record ExportRow(
    Guid PersonId,
    Guid ResponseId,
    string MeasurementKind,
    DateTimeOffset RecordedAt,
    string RespondentKind,
    bool Partial,
    string InstrumentId,
    int Version,
    string? Role,
    DateOnly? BirthDate,
    string? LeadSector,
    decimal Paid,
    long Adults,
    long Children,
    IReadOnlyDictionary<string, double> Scores);

public sealed class ReportStore(NpgsqlDataSource dataSource)
{
    private const string CaseFacts = """
        LEFT JOIN outcomes.case_facts f ON f.case_id = x.case_id
        LEFT JOIN (SELECT case_id, sum(amount) AS paid FROM outcomes.disbursements_paid GROUP BY case_id) p ON p.case_id = x.case_id
        LEFT JOIN (SELECT case_id,
                          count(*) FILTER (WHERE role IN ('guardian', 'parent', 'other-adult')) AS adults,
                          count(*) FILTER (WHERE role IN ('child', 'youth')) AS children
                   FROM outcomes.household_members GROUP BY case_id) h ON h.case_id = x.case_id
        """;

    /// <summary>
    /// Per person (and case): the first baseline response and the latest later response to the same instrument
    /// version — latest by the schedule's point, as in <see cref="Scoring.PersonChanges"/> — their scores in
    /// <paramref name="domain"/>, and the negative effects above <paramref name="alertLevel"/> at the latest one.
    /// </summary>
    public async Task<IReadOnlyList<ChangeRow>> Changes(string domain, IReadOnlyList<string> negativeDomains, int alertLevel, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            WITH r AS (
                SELECT r.id, r.case_id, r.person_id, r.recorded_at, r.instrument_id, r.version, r.respondent_kind, m.kind, m.schedule_point
                FROM outcomes.responses r JOIN outcomes.measurements m ON m.id = r.measurement_id
            ),
            baseline AS (
                SELECT DISTINCT ON (case_id, person_id) * FROM r WHERE kind = 'baseline' ORDER BY case_id, person_id, recorded_at, id
            ),
            latest AS (
                SELECT DISTINCT ON (r.case_id, r.person_id) r.*, b.id AS baseline_id, b.respondent_kind AS baseline_respondent
                FROM r JOIN baseline b ON b.case_id = r.case_id AND b.person_id = r.person_id AND b.instrument_id = r.instrument_id AND b.version = r.version
                WHERE r.kind <> 'baseline'
                ORDER BY r.case_id, r.person_id, r.schedule_point DESC, r.recorded_at DESC, r.id DESC
            )
            SELECT x.person_id AS PersonId, x.case_id AS CaseId, x.recorded_at AS LatestAt, x.instrument_id AS InstrumentId, x.version AS Version,
                   bs.score AS Baseline, ls.score AS Latest, f.lead_sector AS LeadSector, COALESCE(p.paid, 0) AS Paid,
                   COALESCE(h.adults, 0) AS Adults, COALESCE(h.children, 0) AS Children,
                   x.baseline_respondent AS BaselineRespondent, x.respondent_kind AS LatestRespondent,
                   ARRAY(SELECT ns.domain FROM outcomes.domain_scores ns
                         WHERE ns.response_id = x.id AND ns.domain = ANY(@negativeDomains) AND ns.score > @alertLevel ORDER BY ns.domain) AS NegativeEffects
            FROM latest x
            JOIN outcomes.domain_scores bs ON bs.response_id = x.baseline_id AND bs.domain = @domain
            JOIN outcomes.domain_scores ls ON ls.response_id = x.id AND ls.domain = @domain
            {CaseFacts}
            """, new { domain, negativeDomains = negativeDomains.ToArray(), alertLevel }, cancellationToken: ct, commandTimeout: 300));
        return [.. rows.Select(r => new ChangeRow(r.PersonId, r.CaseId, r.LatestAt.AsUtc(), r.InstrumentId, r.Version, (double)r.Baseline, (double)r.Latest,
            r.LeadSector, r.Paid, r.Adults, r.Children, r.NegativeEffects, r.BaselineRespondent, r.LatestRespondent))];
    }

    public async Task<IReadOnlyList<ExportRow>> Export(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<ExportDbRow>(new CommandDefinition(
            $"""
            SELECT x.person_id AS PersonId, x.id AS ResponseId, m.kind AS MeasurementKind, x.recorded_at AS RecordedAt,
                   x.respondent_kind AS RespondentKind, x.partial, x.instrument_id AS InstrumentId, x.version,
                   hm.role, hm.birth_date AS BirthDate, f.lead_sector AS LeadSector, COALESCE(p.paid, 0) AS Paid,
                   COALESCE(h.adults, 0) AS Adults, COALESCE(h.children, 0) AS Children,
                   ARRAY(SELECT s.domain FROM outcomes.domain_scores s WHERE s.response_id = x.id ORDER BY s.domain) AS Domains,
                   ARRAY(SELECT s.score FROM outcomes.domain_scores s WHERE s.response_id = x.id ORDER BY s.domain) AS Scores
            FROM outcomes.responses x
            JOIN outcomes.measurements m ON m.id = x.measurement_id
            LEFT JOIN outcomes.household_members hm ON hm.case_id = x.case_id AND hm.person_id = x.person_id
            {CaseFacts}
            ORDER BY x.recorded_at, x.id
            """, cancellationToken: ct, commandTimeout: 300));
        return [.. rows.Select(r => new ExportRow(r.PersonId, r.ResponseId, r.MeasurementKind, r.RecordedAt.AsUtc(), r.RespondentKind, r.Partial,
            r.InstrumentId, r.Version, r.Role, r.BirthDate, r.LeadSector, r.Paid, r.Adults, r.Children,
            r.Domains.Zip(r.Scores).ToDictionary(z => z.First, z => (double)z.Second, StringComparer.Ordinal)))];
    }

    // Classes with setters, not positional records: Dapper hands PostgreSQL arrays over as System.Array, which no
    // constructor signature matches.
    private sealed class Row
    {
        public Guid PersonId { get; set; }
        public Guid CaseId { get; set; }
        public DateTime LatestAt { get; set; }
        public string InstrumentId { get; set; } = "";
        public int Version { get; set; }
        public decimal Baseline { get; set; }
        public decimal Latest { get; set; }
        public string? LeadSector { get; set; }
        public decimal Paid { get; set; }
        public long Adults { get; set; }
        public long Children { get; set; }
        public string[] NegativeEffects { get; set; } = [];
        public string BaselineRespondent { get; set; } = "";
        public string LatestRespondent { get; set; } = "";
    }

    private sealed class ExportDbRow
    {
        public Guid PersonId { get; set; }
        public Guid ResponseId { get; set; }
        public string MeasurementKind { get; set; } = "";
        public DateTime RecordedAt { get; set; }
        public string RespondentKind { get; set; } = "";
        public bool Partial { get; set; }
        public string InstrumentId { get; set; } = "";
        public int Version { get; set; }
        public string? Role { get; set; }
        public DateOnly? BirthDate { get; set; }
        public string? LeadSector { get; set; }
        public decimal Paid { get; set; }
        public long Adults { get; set; }
        public long Children { get; set; }
        public string[] Domains { get; set; } = [];
        public decimal[] Scores { get; set; } = [];
    }
}
