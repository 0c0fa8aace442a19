using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Samskaping.Outcomes.Reports;

/// <summary>The export as sent, and what the rule left out.</summary>
public sealed record ResearchExportFile(string Csv, int Responses, int People, int SuppressedPeople);

/// <summary>
/// The pseudonymised research export: one row per response, the person as a keyed pseudonym (HMAC-SHA256 of the
/// person id under <c>Outcomes:PseudonymKey</c>, so it is stable across exports but can't be reversed or recomputed
/// without the key), no names, identity numbers, birth dates, response dates, case ids or free text. A pseudonym is
/// not anonymity: the quasi-identifiers beside it follow <see cref="ExportAnonymity"/>, so every combination of them
/// stands for at least <c>Outcomes:MinimumCellSize</c> people.
/// </summary>
public static class ResearchExport
{
    public static string Pseudonym(Guid personId, string key) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(personId.ToString("D"))))[..32];

    public static ResearchExportFile Build(IReadOnlyList<ExportRow> rows, string key, int minimumCellSize)
    {
        var anonymised = ExportAnonymity.Apply(People(rows), minimumCellSize);
        var shown = rows.Where(r => anonymised.Published.ContainsKey(r.PersonId)).ToList();
        var domains = shown.SelectMany(r => r.Scores.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var sb = new StringBuilder("pseudonym,age_band,role,family_type,lead_sector,grant_band,start_period,measurement,respondent,partial,instrument,version");
        foreach (var domain in domains)
        {
            sb.Append(",score_").Append(domain);
        }
        sb.Append('\n');
        foreach (var row in shown)
        {
            var q = anonymised.Published[row.PersonId];
            sb.Append(Pseudonym(row.PersonId, key)).Append(',').Append(q.AgeBand).Append(',').Append(ReportFormats.Field(q.Role)).Append(',')
                .Append(q.FamilyType).Append(',').Append(ReportFormats.Field(q.LeadSector)).Append(',').Append(q.GrantBand).Append(',')
                .Append(q.StartPeriod).Append(',').Append(row.MeasurementKind).Append(',')
                .Append(row.RespondentKind).Append(',').Append(row.Partial ? "true" : "false").Append(',')
                .Append(ReportFormats.Field(row.InstrumentId)).Append(',').Append(row.Version.ToString(CultureInfo.InvariantCulture));
            foreach (var domain in domains)
            {
                sb.Append(',').Append(row.Scores.TryGetValue(domain, out var score) ? ReportFormats.Number(score) : "");
            }
            sb.Append('\n');
        }
        return new ResearchExportFile(sb.ToString(), shown.Count, anonymised.Published.Count, anonymised.SuppressedPeople);
    }

    /// <summary>Each person as of their first response in the export (rows come ordered by when they were recorded).</summary>
    private static List<ExportPerson> People(IReadOnlyList<ExportRow> rows) =>
        [.. rows.GroupBy(r => r.PersonId).Select(g =>
        {
            var first = g.MinBy(r => (r.RecordedAt, r.ResponseId))!;
            var age = first.BirthDate is { } birth ? AgeOn(birth, DateOnly.FromDateTime(first.RecordedAt.UtcDateTime)) : (int?)null;
            return new ExportPerson(first.PersonId, age, first.Role ?? ExportAnonymity.Unknown,
                Dimensions.FamilyTypeOf((int)first.Adults, (int)first.Children), first.LeadSector ?? ExportAnonymity.Unknown,
                Dimensions.GrantBandOf(first.Paid), first.RecordedAt);
        })];

    private static int AgeOn(DateOnly birth, DateOnly day)
    {
        var age = day.Year - birth.Year;
        return birth.AddYears(age) > day ? age - 1 : age;
    }
}
