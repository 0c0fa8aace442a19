namespace Samskaping.Outcomes.Reports;

/// <summary>Mean change with a 95 % confidence interval and a standardised effect size, for one group of people.</summary>
/// <param name="EffectSizeDz">Cohen's d_z: the mean change divided by the standard deviation of the changes.</param>
public sealed record ChangeStatistics(int N, double MeanChange, double SdChange, double CiLow, double CiHigh, double? EffectSizeDz)
{
    public static ChangeStatistics Of(IReadOnlyList<double> changes)
    {
        var n = changes.Count;
        var mean = changes.Average();
        var sd = n > 1 ? Math.Sqrt(changes.Sum(c => (c - mean) * (c - mean)) / (n - 1)) : 0;
        var half = n > 1 ? StudentT.Quantile975(n - 1) * sd / Math.Sqrt(n) : double.NaN;
        return new ChangeStatistics(n, mean, sd, mean - half, mean + half, sd > 0 ? mean / sd : null);
    }
}

/// <summary>The 97.5 % quantile of Student's t distribution (the two-sided 95 % critical value).</summary>
public static class StudentT
{
    // Exact to three decimals for df 1–30 (standard tables); between 30, 40, 60, 120 and ∞ interpolated linearly in
    // 1/df, the usual table rule, which is within 0.001 of the exact value.
    private static readonly double[] Small =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    private static readonly (double Df, double T)[] Large = [(30, 2.042), (40, 2.021), (60, 2.000), (120, 1.980), (double.PositiveInfinity, 1.960)];

    public static double Quantile975(int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        if (degreesOfFreedom <= 30)
        {
            return Small[degreesOfFreedom - 1];
        }
        for (var i = 0; i < Large.Length - 1; i++)
        {
            var (lowDf, lowT) = Large[i];
            var (highDf, highT) = Large[i + 1];
            if (degreesOfFreedom <= highDf)
            {
                var x = 1.0 / degreesOfFreedom;
                var x0 = 1.0 / lowDf;
                var x1 = double.IsPositiveInfinity(highDf) ? 0 : 1.0 / highDf;
                return lowT + (highT - lowT) * (x0 - x) / (x0 - x1);
            }
        }
        return 1.960;
    }
}
