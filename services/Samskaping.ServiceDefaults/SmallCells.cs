namespace Samskaping.ServiceDefaults;

/// <summary>Which cells of a one-way table (and its total) may be published.</summary>
public sealed record SuppressionResult(IReadOnlyList<bool> Suppressed, bool TotalSuppressed);

/// <summary>
/// Small-cell suppression, the one rule every published aggregate of people follows (outcomes' group reports,
/// grants' spending and fund reports). Primary: no cell of 1 to <c>minimum − 1</c> people (or households) is shown.
/// Complementary: the hidden cells must not be recoverable from the total and the shown cells, so more of the
/// smallest cells are hidden until (a) no single cell is hidden alone (total − shown would be it), (b) the hidden
/// cells together cover at least <c>minimum</c> people, and (c) the hidden cells can't all be pinned to one person
/// each (people = cells). A total under <c>minimum</c> hides everything.
/// </summary>
public static class SmallCells
{
    /// <summary>No published group stands for fewer people than this unless a service is configured otherwise.</summary>
    public const int DefaultMinimum = 5;

    /// <summary>A count of people that may not be shown on its own: some, but fewer than the minimum.</summary>
    public static bool IsSmall(int people, int minimum) => people > 0 && people < minimum;

    /// <summary>Cells that are disjoint (each person counted in one cell): the people in a set of cells is the sum of their counts.</summary>
    public static SuppressionResult Apply(IReadOnlyList<int> counts, int minimum) =>
        Apply(counts, minimum, cells => cells.Sum(i => counts[i]));

    /// <summary>
    /// Cells that may share people (a household with grants in two rows): <paramref name="peopleIn"/> says how many
    /// distinct people a set of cells (by index) covers, and the total is the people in all cells.
    /// </summary>
    public static SuppressionResult Apply(IReadOnlyList<int> counts, int minimum, Func<IReadOnlyList<int>, int> peopleIn)
    {
        var suppressed = counts.Select(n => IsSmall(n, minimum)).ToArray();
        if (peopleIn([.. Enumerable.Range(0, counts.Count)]) < minimum)
        {
            return new SuppressionResult([.. counts.Select(n => n > 0)], TotalSuppressed: true);
        }
        while (true)
        {
            var hidden = Enumerable.Range(0, counts.Count).Where(i => suppressed[i]).ToList();
            var hiddenPeople = peopleIn(hidden);
            if (hidden.Count == 0 || (hidden.Count >= 2 && hiddenPeople >= minimum && hiddenPeople > hidden.Count))
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
