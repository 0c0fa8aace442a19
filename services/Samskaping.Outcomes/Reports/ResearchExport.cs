using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Samskaping.Outcomes.Reports;

/// <summary>
/// The pseudonymised research export: one row per response, the person as a keyed pseudonym (HMAC-SHA256 of the
/// person id under <c>Outcomes:PseudonymKey</c>, so it is stable across exports but can't be reversed or recomputed
/// without the key), an age band instead of the birth date, no names, identity numbers, case ids or free text.
/// </summary>
public static class ResearchExport
{
    public static string Pseudonym(Guid personId, string key) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(personId.ToString("D"))))[..32];

    public static string Csv(IReadOnlyList<ExportRow> rows, string key)
    {
        var domains = rows.SelectMany(r => r.Scores.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var sb = new StringBuilder("pseudonym,age_band,role,family_type,lead_sector,grant_band,measurement,period,respondent,partial,instrument,version");
        foreach (var domain in domains)
        {
            sb.Append(",score_").Append(domain);
        }
        sb.Append('\n');
        foreach (var row in rows)
        {
            var ageBand = row.BirthDate is { } birth ? Dimensions.AgeBandOf(AgeOn(birth, DateOnly.FromDateTime(row.RecordedAt.UtcDateTime))) : "";
            sb.Append(Pseudonym(row.PersonId, key)).Append(',').Append(ageBand).Append(',').Append(ReportFormats.Field(row.Role)).Append(',')
                .Append(Dimensions.FamilyTypeOf((int)row.Adults, (int)row.Children)).Append(',').Append(ReportFormats.Field(row.LeadSector)).Append(',')
                .Append(Dimensions.GrantBandOf(row.Paid)).Append(',').Append(row.MeasurementKind).Append(',').Append(Dimensions.PeriodOf(row.RecordedAt)).Append(',')
                .Append(row.RespondentKind).Append(',').Append(row.Partial ? "true" : "false").Append(',')
                .Append(ReportFormats.Field(row.InstrumentId)).Append(',').Append(row.Version.ToString(CultureInfo.InvariantCulture));
            foreach (var domain in domains)
            {
                sb.Append(',').Append(row.Scores.TryGetValue(domain, out var score) ? ReportFormats.Number(score) : "");
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static int AgeOn(DateOnly birth, DateOnly day)
    {
        var age = day.Year - birth.Year;
        return birth.AddYears(age) > day ? age - 1 : age;
    }
}
