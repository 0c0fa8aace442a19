using System.Globalization;
using Samskaping.Contracts.Cases;

namespace Samskaping.Outcomes.Reports;

/// <summary>What a group report can be split by.</summary>
public static class Dimensions
{
    public const string Sector = "sector";
    public const string GrantBand = "grant-band";
    public const string FamilyType = "family-type";
    public const string Period = "period";
    public const string Respondent = "respondent";

    public static IReadOnlyList<string> All { get; } = [Sector, GrantBand, FamilyType, Period, Respondent];

    /// <summary>
    /// Who answered: self, guardian or worker-with-person when the baseline and the latest response were answered the
    /// same way; "mixed" when not, since a change between two ways of answering is no change of one kind to compare.
    /// </summary>
    public static string RespondentOf(string baseline, string latest) => baseline == latest ? latest : "mixed";

    /// <summary>Grants paid to the case in total (from grants' DisbursementPaid), in NOK bands.</summary>
    public static string GrantBandOf(decimal paid) => paid switch
    {
        <= 0m => "none",
        < 5_000m => "under-5000",
        < 20_000m => "5000-19999",
        _ => "20000-and-over",
    };

    /// <summary>The household's shape, from the members' roles.</summary>
    public static string FamilyTypeOf(int adults, int children) => (adults, children) switch
    {
        (0, 0) => "unknown",
        (_, 0) => "adults-only",
        (0, _) => "children-only",
        (1, _) => "one-adult-with-children",
        _ => "two-or-more-adults-with-children",
    };

    public static bool IsAdult(string role) => role is MemberRoles.Guardian or MemberRoles.Parent or MemberRoles.OtherAdult;

    /// <summary>Fixed calendar quarters only: free date ranges would let two reports be subtracted to expose a small group.</summary>
    public static string PeriodOf(DateTimeOffset at) => string.Create(CultureInfo.InvariantCulture, $"{at.UtcDateTime.Year}-Q{(at.UtcDateTime.Month - 1) / 3 + 1}");

    /// <summary>Age bands for the research export, instead of a birth date.</summary>
    public static string AgeBandOf(int age) => age switch
    {
        < 6 => "0-5",
        < 13 => "6-12",
        < 16 => "13-15",
        < 18 => "16-17",
        < 26 => "18-25",
        < 45 => "26-44",
        < 67 => "45-66",
        _ => "67+",
    };
}
