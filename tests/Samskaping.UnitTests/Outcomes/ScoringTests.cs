using Samskaping.Outcomes;
using Samskaping.Outcomes.Responses;
using Samskaping.Outcomes.Scoring;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Outcomes;

public sealed class ScoringTests
{
    [Fact]
    public void A_reverse_coded_item_is_flipped_before_the_domain_mean()
    {
        var values = new Dictionary<string, int> { ["mastery"] = 7, ["mastery-little-control"] = 8, ["life-satisfaction"] = 6 };

        var scores = DomainScores.Compute(TestInstrument.Core, values);

        // mastery = mean(7, 0 + 10 − 8) = mean(7, 2) = 4.5; an unflipped mean would have been 7.5.
        scores["mastery"].ShouldBe(4.5);
        scores["life-satisfaction"].ShouldBe(6);
        scores.ShouldNotContainKey("gratitude-debt");
    }

    [Fact]
    public void Free_text_is_never_scored_and_counts_and_yes_no_keep_their_own_scale()
    {
        var answers = CheckedAnswers.Check(TestInstrument.Core,
        [
            new AnswerInput("participation-activities", 3, null),
            new AnswerInput("clear-responsibility", 1, null),
            new AnswerInput("neg-gratitude-debt", 9, null),
            new AnswerInput("neg-gratitude-debt-comment", null, "Vi føler vi må takke hele tiden."),
        ]);

        var scores = DomainScores.Compute(TestInstrument.Core, answers.Values);

        scores.ShouldBe(new Dictionary<string, double> { ["participation-activities"] = 3, ["clear-responsibility"] = 1, ["gratitude-debt"] = 9 }, ignoreOrder: true);
    }

    [Fact]
    public void A_rise_of_three_points_in_life_satisfaction_is_reliable_improvement()
    {
        var norm = new DomainNorm { Reliability = 0.70, ReferenceSd = 1.9 };

        var change = ReliableChange.Compute(4, 7, norm);

        // SE = 1.9 · √(1 − 0.70) = 1.9 · 0.547723 = 1.040673
        // S_diff = √(2 · 1.040673²) = 1.040673 · 1.414214 = 1.471734 (Christensen–Mendoza)
        // RCI = (7 − 4) / 1.471734 = 2.0384 > 1.96
        change.StandardErrorOfDifference.ShouldBe(1.471734, 1e-6);
        change.Index.ShouldBe(2.0384, 1e-4);
        change.Classification.ShouldBe(ChangeClasses.Improved);
    }

    [Fact]
    public void A_rise_of_two_points_is_within_measurement_error()
    {
        var change = ReliableChange.Compute(4, 6, new DomainNorm { Reliability = 0.70, ReferenceSd = 1.9 });

        // RCI = 2 / 1.471734 = 1.3589 ≤ 1.96
        change.Index.ShouldBe(1.3589, 1e-4);
        change.Classification.ShouldBe(ChangeClasses.Unchanged);
    }

    [Fact]
    public void For_a_negative_effect_a_reliable_rise_is_a_deterioration_and_a_fall_an_improvement()
    {
        var gratitudeDebt = new DomainNorm { Reliability = 0.60, ReferenceSd = 2.6, HigherIsBetter = false };

        var worse = ReliableChange.Compute(2, 8, gratitudeDebt);
        var better = ReliableChange.Compute(8, 2, gratitudeDebt);

        // SE = 2.6 · √0.40 = 2.6 · 0.632456 = 1.644384; S_diff = √2 · 1.644384 = 2.325494; RCI = ±6 / 2.325494 = ±2.5801
        worse.Index.ShouldBe(2.5801, 1e-4);
        worse.Classification.ShouldBe(ChangeClasses.Deteriorated);
        better.Index.ShouldBe(-2.5801, 1e-4);
        better.Classification.ShouldBe(ChangeClasses.Improved);
    }

    [Fact]
    public void A_falling_score_past_the_criterion_is_a_deterioration()
    {
        var change = ReliableChange.Compute(8, 4, new DomainNorm { Reliability = 0.70, ReferenceSd = 1.9 });

        // RCI = −4 / 1.471734 = −2.7179
        change.Index.ShouldBe(-2.7179, 1e-4);
        change.Classification.ShouldBe(ChangeClasses.Deteriorated);
    }

    [Fact]
    public void Latest_is_the_furthest_point_of_the_schedule_answered_not_the_last_answer_recorded()
    {
        var person = Guid.CreateVersion7();
        var start = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
        ResponseDto Response(string kind, int schedulePoint, int day, double lifeSatisfaction) =>
            new(Guid.CreateVersion7(), Guid.CreateVersion7(), kind, schedulePoint, person, "self", "samskaping-core", 1, false, "kari", start.AddDays(day), [],
                new Dictionary<string, double> { ["life-satisfaction"] = lifeSatisfaction });

        // The 6-month follow-up answered on time, the missed 3-month one caught up a day later.
        var change = PersonChanges.From([Response("baseline", 0, 0, 3), Response("follow-up", 6, 182, 9), Response("follow-up", 3, 183, 4)], new OutcomesOptions())
            .ShouldHaveSingleItem();

        change.LatestAt.ShouldBe(start.AddDays(182));
        change.Domains.ShouldHaveSingleItem().Change.ShouldBe(6);
    }
}
