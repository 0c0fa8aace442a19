using Microsoft.Extensions.Options;
using Samskaping.Outcomes.Instruments;
using Samskaping.Outcomes.Scoring;

namespace Samskaping.Outcomes.Reports;

/// <summary>The group report's code path: the per-person rows from <see cref="ReportStore"/>, reliable change per
/// person with the norms of their instrument version, grouping, statistics and suppression.</summary>
public sealed class ChangeReports(ReportStore store, InstrumentStore instruments, IOptions<OutcomesOptions> options)
{
    /// <summary>The scored domains of every instrument version, and which of them are negative effects.</summary>
    public async Task<(IReadOnlySet<string> Domains, IReadOnlyList<string> Negative)> Domains(CancellationToken ct)
    {
        var all = await instruments.All(ct);
        var scored = all.SelectMany(i => i.Items).Where(i => i.IsScored).Select(i => i.Domain).ToHashSet(StringComparer.Ordinal);
        var negative = all.SelectMany(DomainScores.NegativeDomains).Distinct().Order(StringComparer.Ordinal).ToList();
        return (scored, negative);
    }

    public async Task<ChangeReportDto> Build(string dimension, string domain, IReadOnlyList<string> negativeDomains, CancellationToken ct)
    {
        var settings = options.Value;
        var rows = await store.Changes(domain, negativeDomains, settings.NegativeEffectAlertLevel, ct);
        var people = rows.Select(row =>
        {
            var norm = settings.Norm($"{row.InstrumentId}-v{row.Version}", domain);
            var classification = norm is null ? PersonChanges.Unclassified : ReliableChange.Compute(row.Baseline, row.Latest, norm).Classification;
            return new PersonOutcome(GroupOf(dimension, row), row.Latest - row.Baseline, classification, row.NegativeEffects.ToHashSet(StringComparer.Ordinal));
        }).ToList();
        return ChangeReport.Build(dimension, domain, people, negativeDomains, settings.MinimumCellSize);
    }

    private static string GroupOf(string dimension, ChangeRow row) => dimension switch
    {
        Dimensions.Sector => row.LeadSector ?? "unknown",
        Dimensions.GrantBand => Dimensions.GrantBandOf(row.Paid),
        Dimensions.FamilyType => Dimensions.FamilyTypeOf((int)row.Adults, (int)row.Children),
        Dimensions.Period => Dimensions.PeriodOf(row.LatestAt),
        Dimensions.Respondent => Dimensions.RespondentOf(row.BaselineRespondent, row.LatestRespondent),
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Not a report dimension."),
    };
}
