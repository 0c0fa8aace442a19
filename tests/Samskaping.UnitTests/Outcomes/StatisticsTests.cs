using Samskaping.Outcomes.Reports;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Outcomes;

public sealed class StatisticsTests
{
    [Fact]
    public void Mean_change_confidence_interval_and_effect_size_by_hand()
    {
        var stats = ChangeStatistics.Of([1, 2, 3, 4, 5]);

        // mean = 15 / 5 = 3; SD = √((4 + 1 + 0 + 1 + 4) / 4) = √2.5 = 1.581139
        // t(0.975, df 4) = 2.776; half width = 2.776 · 1.581139 / √5 = 1.962928
        // d_z = 3 / 1.581139 = 1.897367
        stats.N.ShouldBe(5);
        stats.MeanChange.ShouldBe(3);
        stats.SdChange.ShouldBe(1.581139, 1e-6);
        stats.CiLow.ShouldBe(1.037072, 1e-6);
        stats.CiHigh.ShouldBe(4.962928, 1e-6);
        stats.EffectSizeDz!.Value.ShouldBe(1.897367, 1e-6);
    }

    [Theory]
    [InlineData(1, 12.706)]
    [InlineData(4, 2.776)]
    [InlineData(30, 2.042)]
    [InlineData(40, 2.021)]
    [InlineData(50, 2.0086)] // exact 2.0086; 1/df interpolation between 40 and 60 gives 2.0084
    [InlineData(120, 1.980)]
    [InlineData(100_000, 1.960)]
    public void The_t_quantile_matches_the_table(int df, double expected) =>
        StudentT.Quantile975(df).ShouldBe(expected, 0.001);
}
