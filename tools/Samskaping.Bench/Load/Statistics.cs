namespace Samskaping.Bench.Load;

/// <summary>Summaries of repeated measurements, where one disturbed round must not decide the figure.</summary>
public static class Statistics
{
    /// <summary>The middle value (the mean of the two middle values for an even count); NaN without values.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
