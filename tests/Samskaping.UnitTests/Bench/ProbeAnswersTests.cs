using Samskaping.Bench.Growth;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Bench;

public sealed class ProbeAnswersTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(15)]
    public void A_probe_case_has_five_responses_and_each_adult_a_baseline_and_a_follow_up(int probe)
    {
        var responses = ProbeAnswers.For(probe);

        responses.Count.ShouldBe(5, "the issue's million cases hold five million outcome responses");
        for (var adult = 0; adult < ProbeAnswers.Adults; adult++)
        {
            var points = responses.Where(r => r.Adult == adult).Select(r => r.Point).ToList();
            points.ShouldContain(0, "the change report needs a baseline");
            points.ShouldContain(p => p > 0, "and a later measurement of the same person");
            points.ShouldBeUnique("outcomes takes one response per person and measurement");
        }
    }

    [Fact]
    public void Every_answer_is_in_its_item_range_and_no_negative_effect_reaches_the_alert_level()
    {
        foreach (var response in Enumerable.Range(0, 40).SelectMany(ProbeAnswers.For))
        {
            response.Answers.Values.ShouldAllBe(v => v >= 0 && v <= 10);
            response.Answers.Where(a => a.Key.StartsWith("neg-", StringComparison.Ordinal)).ShouldAllBe(a => a.Value <= 6);
        }
    }

    [Fact]
    public void The_probes_points_are_the_ones_the_bench_system_schedules()
    {
        Enumerable.Range(0, 8).SelectMany(ProbeAnswers.For).Where(r => r.Point > 0).Select(r => r.Point).Distinct().Order()
            .ShouldBe(ProbeAnswers.FollowUpMonths);
    }

    [Fact]
    public void Four_probes_give_a_spread_of_changes_in_life_satisfaction()
    {
        var changes = Enumerable.Range(0, 4).SelectMany(probe =>
        {
            var responses = ProbeAnswers.For(probe);
            return responses.GroupBy(r => r.Adult).Select(person =>
                person.MaxBy(r => r.Point)!.Answers["life-satisfaction"] - person.Single(r => r.Point == 0).Answers["life-satisfaction"]);
        }).ToList();

        changes.Count.ShouldBe(8);
        changes.Distinct().Count().ShouldBeGreaterThan(1, "a report over equal changes has no standard deviation, interval or effect size");
    }

    [Fact]
    public void The_change_report_counts_every_adult_of_the_probes_and_their_copies()
    {
        ProbeAnswers.PeopleInChangeReport(probes: 4, copies: 0).ShouldBe(8);
        ProbeAnswers.PeopleInChangeReport(probes: 4, copies: 499).ShouldBe(4_000);
        ProbeAnswers.PeopleInChangeReport(probes: 4, copies: 4_990).ShouldBe(39_928);
    }
}
