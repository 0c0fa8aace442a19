namespace Samskaping.Outcomes.Scoring;

/// <summary>The norms of one domain for the reliable change index (configured under <c>Outcomes:Scoring</c>).</summary>
public sealed class DomainNorm
{
    /// <summary>Reliability r of the domain score (test–retest or internal consistency), 0 &lt; r &lt; 1.</summary>
    public double Reliability { get; set; }

    /// <summary>Standard deviation of the domain score in a reference population (the SD at baseline).</summary>
    public double ReferenceSd { get; set; }

    /// <summary>False for the negative effects: there a rise is a deterioration.</summary>
    public bool HigherIsBetter { get; set; } = true;
}

public static class ChangeClasses
{
    public const string Improved = "improved";
    public const string Unchanged = "unchanged";
    public const string Deteriorated = "deteriorated";
}

/// <summary>
/// Jacobson–Truax reliable change index with the Christensen–Mendoza (1986) correction:
/// SE = SD·√(1 − r) is the standard error of measurement; the difference of two measurements has
/// S_diff = √(2·SE²) = SD·√2·√(1 − r); RCI = (x₂ − x₁) / S_diff. |RCI| &gt; 1.96 is a change that measurement
/// error alone would produce less than 5 % of the time: improved or deteriorated by the domain's direction.
/// </summary>
public sealed record ReliableChange(double Baseline, double Latest, double Change, double StandardErrorOfDifference, double Index, string Classification)
{
    public const double Criterion = 1.96;

    public static ReliableChange Compute(double baseline, double latest, DomainNorm norm)
    {
        var standardError = norm.ReferenceSd * Math.Sqrt(1 - norm.Reliability);
        var sDiff = Math.Sqrt(2 * standardError * standardError);
        var change = latest - baseline;
        var index = change / sDiff;
        var classification = Math.Abs(index) <= Criterion
            ? ChangeClasses.Unchanged
            : (index > 0) == norm.HigherIsBetter ? ChangeClasses.Improved : ChangeClasses.Deteriorated;
        return new ReliableChange(baseline, latest, change, sDiff, index, classification);
    }
}
