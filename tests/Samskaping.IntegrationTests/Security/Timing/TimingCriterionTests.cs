using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Security.Timing;

/// <summary>The timing part of <see cref="HiddenVersusMissing"/> on made-up rounds: it must catch a large, consistent
/// difference and let the noise of a busy machine pass.</summary>
public sealed class TimingCriterionTests
{
    [Fact]
    public void A_large_consistent_difference_tells_hidden_from_missing()
    {
        var random = new Random(7);
        var missing = Rounds(40, () => 5 + random.NextDouble() * 2);
        var hidden = Rounds(40, () => 12 + random.NextDouble() * 2);

        HiddenVersusMissing.Timing(hidden, missing).TellsApart.ShouldBeTrue();
        HiddenVersusMissing.Timing(missing, hidden).TellsApart.ShouldBeTrue("faster when hidden tells it apart as well");
    }

    [Fact]
    public void The_same_work_with_spikes_from_a_busy_machine_does_not()
    {
        var random = new Random(11);
        double Busy() => 5 + random.NextDouble() * 3 + (random.Next(6) == 0 ? 40 : 0);

        HiddenVersusMissing.Timing(Rounds(40, Busy), Rounds(40, Busy)).TellsApart.ShouldBeFalse();
    }

    [Fact]
    public void A_consistent_difference_below_the_noise_floor_does_not()
    {
        var random = new Random(13);
        var missing = Rounds(40, () => 0.5 + random.NextDouble() * 0.1);
        var hidden = Rounds(40, () => 1.5 + random.NextDouble() * 0.1);

        HiddenVersusMissing.Timing(hidden, missing).TellsApart.ShouldBeFalse();
    }

    private static List<double> Rounds(int count, Func<double> sample) => [.. Enumerable.Range(0, count).Select(_ => sample())];
}
