using Samskaping.Grants.Letters;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Grants;

public sealed class AppealDeadlineTests
{
    [Theory]
    [InlineData(2024, 3, 31)]
    [InlineData(2025, 4, 20)]
    [InlineData(2026, 4, 5)]
    [InlineData(2027, 3, 28)]
    [InlineData(2038, 4, 25)]
    [InlineData(2285, 3, 22)]
    public void Easter_Sunday_is_computed_for_any_year(int year, int month, int day) =>
        NorwegianCalendar.EasterSunday(year).ShouldBe(new DateOnly(year, month, day));

    [Theory]
    // An ordinary Tuesday three weeks on.
    [InlineData("2026-11-10", "2026-12-01")]
    // Three weeks on is a Saturday: the next Monday.
    [InlineData("2026-11-14", "2026-12-07")]
    // Christmas Day (a Friday), then the weekend: Monday 28 December.
    [InlineData("2026-12-04", "2026-12-28")]
    // Good Friday, Easter Saturday, Easter Sunday and Easter Monday: Tuesday after Easter.
    [InlineData("2026-03-13", "2026-04-07")]
    // Ascension Day (Easter + 39, a Thursday): the Friday.
    [InlineData("2026-04-23", "2026-05-15")]
    // 17 May on a Monday: the Tuesday.
    [InlineData("2027-04-26", "2027-05-18")]
    // Whit Monday (Easter + 50).
    [InlineData("2026-05-04", "2026-05-26")]
    // 1 January, a Friday in 2027, then the weekend.
    [InlineData("2026-12-11", "2027-01-04")]
    // Christmas Eve on a weekday is a working day in law.
    [InlineData("2025-12-03", "2025-12-24")]
    // Maundy Thursday, then Good Friday, the weekend and Easter Monday.
    [InlineData("2027-03-04", "2027-03-30")]
    public void The_deadline_is_three_weeks_after_receipt_moved_to_the_next_working_day(string received, string deadline) =>
        AppealDeadline.From(DateOnly.Parse(received)).ShouldBe(DateOnly.Parse(deadline));

    [Fact]
    public void An_appeal_on_the_deadline_day_is_in_time_and_one_the_day_after_is_late()
    {
        var deadline = new DateOnly(2026, 12, 28);
        AppealDeadline.IsLate(deadline, deadline).ShouldBeFalse();
        AppealDeadline.IsLate(deadline.AddDays(1), deadline).ShouldBeTrue();
    }

    [Fact]
    public void The_letter_is_dated_by_the_day_in_Norway()
    {
        NorwegianCalendar.DayOf(new DateTimeOffset(2026, 7, 1, 22, 30, 0, TimeSpan.Zero)).ShouldBe(new DateOnly(2026, 7, 2));
        NorwegianCalendar.DayOf(new DateTimeOffset(2026, 12, 1, 22, 30, 0, TimeSpan.Zero)).ShouldBe(new DateOnly(2026, 12, 1));
    }
}
