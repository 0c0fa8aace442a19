using System.Text.Json.Serialization;
using Samskaping.Outcomes.Scoring;

namespace Samskaping.Outcomes.Reports;

/// <summary>One person's change in the report's domain, with what the report can split by.</summary>
/// <param name="NegativeEffects">The negative effects this person reported above the alert level at the latest measurement.</param>
public sealed record PersonOutcome(string Group, double Change, string Classification, IReadOnlySet<string> NegativeEffects);

/// <summary>A published group, or a hidden one (every number null) when small-cell suppression applies.</summary>
public sealed record GroupCell(
    string Group,
    bool Suppressed,
    int? N,
    double? MeanChange,
    double? CiLow,
    double? CiHigh,
    double? SdChange,
    double? EffectSizeDz,
    double? ShareImproved,
    double? ShareUnchanged,
    double? ShareDeteriorated,
    IReadOnlyDictionary<string, double>? NegativeEffectPrevalence)
{
    /// <summary>The changes behind a published cell, for the chart; never serialised.</summary>
    [JsonIgnore] public IReadOnlyList<double> Changes { get; init; } = [];
}

public sealed record ChangeReportDto(
    string Dimension,
    string Domain,
    int MinimumCellSize,
    IReadOnlyList<GroupCell> Groups,
    GroupCell Total,
    string Method);

public static class ChangeReport
{
    public const string MethodNote =
        "Change = latest score − baseline score per person (same instrument version). 95 % CI from Student's t. " +
        "Effect size = Cohen's d_z (mean change / SD of change). Improved/deteriorated = |RCI| > 1.96 " +
        "(Jacobson–Truax, Christensen–Mendoza S_diff = SD·√2·√(1 − r)); shares are of people with norms for the domain. " +
        "Groups under the minimum cell size are hidden, and more groups are hidden so a hidden group cannot be recovered from the total.";

    public static ChangeReportDto Build(string dimension, string domain, IReadOnlyList<PersonOutcome> people, IReadOnlyList<string> negativeDomains, int minimumCellSize)
    {
        var groups = people.GroupBy(p => p.Group).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var suppression = Suppression.Apply([.. groups.Select(g => g.Count())], minimumCellSize);
        var cells = groups.Select((g, i) => suppression.Suppressed[i] ? Hidden(g.Key) : Cell(g.Key, [.. g], negativeDomains)).ToList();
        var total = suppression.TotalSuppressed || people.Count == 0 ? Hidden("total") : Cell("total", people, negativeDomains);
        return new ChangeReportDto(dimension, domain, minimumCellSize, cells, total, MethodNote);
    }

    private static GroupCell Hidden(string group) => new(group, true, null, null, null, null, null, null, null, null, null, null);

    private static GroupCell Cell(string group, IReadOnlyList<PersonOutcome> people, IReadOnlyList<string> negativeDomains)
    {
        var changes = people.Select(p => p.Change).ToList();
        var stats = ChangeStatistics.Of(changes);
        var classified = people.Where(p => p.Classification != PersonChanges.Unclassified).ToList();
        double? Share(string classification) =>
            classified.Count == 0 ? null : (double)classified.Count(p => p.Classification == classification) / classified.Count;
        return new GroupCell(group, false, stats.N, stats.MeanChange, stats.CiLow, stats.CiHigh, stats.SdChange, stats.EffectSizeDz,
            Share(ChangeClasses.Improved), Share(ChangeClasses.Unchanged), Share(ChangeClasses.Deteriorated),
            negativeDomains.ToDictionary(d => d, d => (double)people.Count(p => p.NegativeEffects.Contains(d)) / people.Count, StringComparer.Ordinal))
        {
            Changes = changes,
        };
    }
}
