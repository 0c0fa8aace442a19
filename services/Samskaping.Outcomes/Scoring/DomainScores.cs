using Samskaping.Outcomes.Instruments;

namespace Samskaping.Outcomes.Scoring;

/// <summary>Scores of one response, per domain, as the instrument version defines them.</summary>
public static class DomainScores
{
    /// <summary>
    /// The mean of the answered scored items of each domain, reverse-coded items flipped (min + max − value), so
    /// that a higher domain score always means more of what the domain names. A domain without answers has no score.
    /// </summary>
    public static IReadOnlyDictionary<string, double> Compute(Instrument instrument, IReadOnlyDictionary<string, int> values) =>
        instrument.Items
            .Where(i => i.IsScored && values.ContainsKey(i.ItemId))
            .GroupBy(i => i.Domain)
            .ToDictionary(g => g.Key, g => Math.Round(g.Average(i => i.Scored(values[i.ItemId])), 4), StringComparer.Ordinal);

    /// <summary>Domains where a higher score is worse: the negative effects.</summary>
    public static IReadOnlySet<string> NegativeDomains(Instrument instrument) =>
        instrument.Items.Where(i => i.NegativeEffect).Select(i => i.Domain).ToHashSet(StringComparer.Ordinal);
}
