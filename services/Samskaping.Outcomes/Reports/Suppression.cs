namespace Samskaping.Outcomes.Reports;

/// <summary>Which cells of a one-way table (and its total) may be published.</summary>
public sealed record SuppressionResult(IReadOnlyList<bool> Suppressed, bool TotalSuppressed);

/// <summary>
/// Small-cell suppression for a one-way table with a published total. Primary: no cell of 1 to
/// <c>minimum − 1</c> people is shown. Complementary: the hidden cells must not be recoverable from the total and the
/// shown cells, so more of the smallest cells are hidden until (a) no single cell is hidden alone (total − shown
/// would be it), (b) the hidden cells add up to at least <c>minimum</c> people, and (c) the hidden cells can't all be
/// pinned to one person each (sum = count). A total under <c>minimum</c> hides everything.
/// </summary>
public static class Suppression
{
    public static SuppressionResult Apply(IReadOnlyList<int> counts, int minimum)
    {
        var suppressed = counts.Select(n => n > 0 && n < minimum).ToArray();
        var total = counts.Sum();
        if (total < minimum)
        {
            return new SuppressionResult([.. counts.Select(n => n > 0)], TotalSuppressed: true);
        }
        while (true)
        {
            var hidden = Enumerable.Range(0, counts.Count).Where(i => suppressed[i]).ToList();
            var hiddenSum = hidden.Sum(i => counts[i]);
            if (hidden.Count == 0 || (hidden.Count >= 2 && hiddenSum >= minimum && hiddenSum > hidden.Count))
            {
                return new SuppressionResult(suppressed, TotalSuppressed: false);
            }
            var next = Enumerable.Range(0, counts.Count)
                .Where(i => !suppressed[i] && counts[i] > 0)
                .OrderBy(i => counts[i]).ThenBy(i => i)
                .FirstOrDefault(-1);
            if (next < 0)
            {
                // Nothing left to hide alongside: hide the total as well.
                return new SuppressionResult([.. counts.Select(n => n > 0)], TotalSuppressed: true);
            }
            suppressed[next] = true;
        }
    }
}
