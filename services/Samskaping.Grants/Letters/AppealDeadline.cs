namespace Samskaping.Grants.Letters;

/// <summary>
/// The appeal deadline (klagefrist) of a decision: three weeks from the day the family received it (forvaltningsloven
/// § 29), moved to the next working day when it ends on a day the office is closed (§ 30).
/// </summary>
public static class AppealDeadline
{
    /// <summary>Three weeks: forvaltningsloven § 29 first paragraph.</summary>
    public const int Weeks = 3;

    public static DateOnly From(DateOnly receivedOn) => NorwegianCalendar.OnOrAfterWorkingDay(receivedOn.AddDays(7 * Weeks));

    /// <summary>An appeal is in time when it arrived by the end of the deadline's day.</summary>
    public static bool IsLate(DateOnly receivedAppealOn, DateOnly deadline) => receivedAppealOn > deadline;
}

/// <summary>Norwegian working days: not Saturday, Sunday or a public holiday (helligdag or høytidsdag).</summary>
public static class NorwegianCalendar
{
    private static readonly TimeZoneInfo Norway = TimeZoneInfo.FindSystemTimeZoneById("Europe/Oslo");

    /// <summary>The day in Norway at <paramref name="at"/>: a letter issued at 23:30 UTC in summer is dated the next day.</summary>
    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Norway).DateTime);

    /// <summary>
    /// fvl § 30 counts deadlines as domstolloven §§ 148–149 do; § 148 second paragraph: "Når fristens siste dag
    /// faller på en lørdag, søndag, helgedag eller høytidsdag, forlenges fristen til nærmeste virkedag." So a
    /// deadline moves forward, never back, and Christmas Eve or Easter Saturday are not holidays of their own (a
    /// Saturday is closed anyway; 24 December on a weekday is a working day in law).
    /// </summary>
    public static DateOnly OnOrAfterWorkingDay(DateOnly day)
    {
        while (!IsWorkingDay(day))
        {
            day = day.AddDays(1);
        }
        return day;
    }

    public static bool IsWorkingDay(DateOnly day) =>
        day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !IsPublicHoliday(day);

    /// <summary>The public holidays of helligdagsloven § 2 and the høytidsdager 1 and 17 May.</summary>
    public static bool IsPublicHoliday(DateOnly day)
    {
        if ((day.Month, day.Day) is (1, 1) or (5, 1) or (5, 17) or (12, 25) or (12, 26))
        {
            return true;
        }
        var easter = EasterSunday(day.Year);
        var offset = day.DayNumber - easter.DayNumber;
        // Maundy Thursday, Good Friday, Easter Sunday and Monday, Ascension Day, Whit Sunday and Monday.
        return offset is -3 or -2 or 0 or 1 or 39 or 49 or 50;
    }

    /// <summary>Western (Gregorian) Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).</summary>
    public static DateOnly EasterSunday(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, day);
    }
}
