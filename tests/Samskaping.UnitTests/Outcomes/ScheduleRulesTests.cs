using Samskaping.Outcomes.Schedules;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Outcomes;

public sealed class ScheduleRulesTests
{
    private static readonly DateTimeOffset Activated = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = new ScheduleOptions().FollowUpOpensBefore;

    private static Measurement Of(string kind, int? months, DateTimeOffset due, DateTimeOffset scheduled) =>
        new(Guid.CreateVersion7(), Guid.CreateVersion7(), kind, months, months ?? 0, due, scheduled, null, null);

    [Fact]
    public void A_follow_up_opens_two_weeks_before_it_is_due_the_baseline_and_closing_when_they_are_scheduled()
    {
        Window.ShouldBe(TimeSpan.FromDays(14));
        Of("follow-up", 3, Activated.AddMonths(3), Activated).OpensAt(Window).ShouldBe(Activated.AddMonths(3).AddDays(-14));
        Of("baseline", null, Activated.AddDays(14), Activated).OpensAt(Window).ShouldBe(Activated);
        var closedAt = Activated.AddMonths(5);
        Of("closing", null, closedAt.AddDays(14), closedAt).OpensAt(Window).ShouldBe(closedAt);
    }
}
