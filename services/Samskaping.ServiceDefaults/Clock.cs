namespace Samskaping.ServiceDefaults;

public static class Clock
{
    /// <summary>
    /// Now, to the microsecond: PostgreSQL's <c>timestamptz</c> keeps microseconds, so a time we answer with
    /// equals the time we stored and the time other services receive in events.
    /// </summary>
    public static DateTimeOffset Now(this TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }

    /// <summary>A <c>timestamptz</c> as Npgsql reads it (a UTC <see cref="DateTime"/>) as the offset type our records use.</summary>
    public static DateTimeOffset AsUtc(this DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
