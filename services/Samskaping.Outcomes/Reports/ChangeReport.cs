using System.Text.Json.Serialization;
using Samskaping.Outcomes.Scoring;
using Samskaping.ServiceDefaults;

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
    IReadOnlyDictionary<string, double?>? NegativeEffectPrevalence)
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
        "Groups under the minimum cell size are hidden, and more groups are hidden so a hidden group cannot be recovered from the total; " +
        "within a shown group, shares that stand for fewer people (or would give such a share away) are hidden the same way, and a " +
        "negative effect's prevalence is left out when it or its complement is under the minimum.";

    public static ChangeReportDto Build(string dimension, string domain, IReadOnlyList<PersonOutcome> people, IReadOnlyList<string> negativeDomains, int minimumCellSize)
    {
        var groups = people.GroupBy(p => p.Group).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var suppression = SmallCells.Apply([.. groups.Select(g => g.Count())], minimumCellSize);
        var cells = groups.Select((g, i) => suppression.Suppressed[i] ? Hidden(g.Key) : Cell(g.Key, [.. g], negativeDomains, minimumCellSize)).ToList();
        var total = suppression.TotalSuppressed || people.Count == 0 ? Hidden("total") : Cell("total", people, negativeDomains, minimumCellSize);
        return new ChangeReportDto(dimension, domain, minimumCellSize, cells, total, MethodNote);
    }

    private static GroupCell Hidden(string group) => new(group, true, null, null, null, null, null, null, null, null, null, null);

    private static GroupCell Cell(string group, IReadOnlyList<PersonOutcome> people, IReadOnlyList<string> negativeDomains, int minimumCellSize)
    {
        var changes = people.Select(p => p.Change).ToList();
        var stats = ChangeStatistics.Of(changes);
        var classified = people.Where(p => p.Classification != PersonChanges.Unclassified).ToList();
        var shares = Shares(classified.Count,
            [.. new[] { ChangeClasses.Improved, ChangeClasses.Unchanged, ChangeClasses.Deteriorated }.Select(c => classified.Count(p => p.Classification == c))],
            minimumCellSize);
        var prevalence = negativeDomains.ToDictionary(d => d, d =>
        {
            var reported = people.Count(p => p.NegativeEffects.Contains(d));
            return Shares(people.Count, [reported, people.Count - reported], minimumCellSize)[0];
        }, StringComparer.Ordinal);
        return new GroupCell(group, false, stats.N, stats.MeanChange, stats.CiLow, stats.CiHigh, stats.SdChange, stats.EffectSizeDz,
            shares[0], shares[1], shares[2],
            prevalence)
        {
            Changes = changes,
        };
    }

    /// <summary>
    /// Shares of a shown group, split further (improved / unchanged / deteriorated, or with / without a negative
    /// effect): a share is a count of people too, so the same suppression applies within the group — a share that
    /// stands for 1–4 people is not shown, nor one that would give it away (the shares add up to the whole).
    /// </summary>
    private static double?[] Shares(int whole, int[] counts, int minimumCellSize)
    {
        if (whole == 0)
        {
            return [.. counts.Select(_ => (double?)null)];
        }
        var suppression = SmallCells.Apply(counts, minimumCellSize);
        return [.. counts.Select((c, i) => suppression.TotalSuppressed || suppression.Suppressed[i] ? null : (double?)c / whole)];
    }
}
