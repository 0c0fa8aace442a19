using Samskaping.Bench.CaseEvents;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Bench;

/// <summary>The case-events poller asks PostgreSQL for a key range, not for every pending id; the range must not
/// leave out a case opened in the same millisecond as the oldest pending one.</summary>
public sealed class CaseEventsPollTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 16, 0, 0, 123, TimeSpan.Zero);

    /// <summary>PostgreSQL compares uuids byte by byte in their RFC (big-endian) order.</summary>
    private static int PostgresOrder(Guid a, Guid b) =>
        a.ToByteArray(bigEndian: true).AsSpan().SequenceCompareTo(b.ToByteArray(bigEndian: true));

    [Fact]
    public void The_floor_sorts_at_or_before_every_id_of_its_millisecond_and_after_every_earlier_one()
    {
        var ids = Enumerable.Range(0, 200).Select(_ => Guid.CreateVersion7(At)).ToList();
        var floor = CaseEventsBenchmark.MillisecondFloor(ids[0]);

        ids.ShouldAllBe(id => PostgresOrder(floor, id) <= 0);
        PostgresOrder(Guid.CreateVersion7(At.AddMilliseconds(-1)), floor).ShouldBeLessThan(0);
        CaseEventsBenchmark.MillisecondFloor(Guid.CreateVersion7(At.AddMilliseconds(1))).ShouldNotBe(floor);
    }

    [Fact]
    public void Version_7_ids_are_polled_as_a_range_from_the_oldest_pending_millisecond()
    {
        var oldest = Guid.CreateVersion7(At);
        var pending = new[] { Guid.CreateVersion7(At.AddSeconds(2)), oldest, Guid.CreateVersion7(At.AddSeconds(1)) };

        var command = CaseEventsBenchmark.VisibleSince(pending);

        command.CommandText.ShouldContain("case_id >= @since");
        command.Parameters!.GetType().GetProperty("since")!.GetValue(command.Parameters).ShouldBe(CaseEventsBenchmark.MillisecondFloor(oldest));
    }

    [Fact]
    public void Ids_that_are_not_time_ordered_are_polled_one_by_one()
    {
        var command = CaseEventsBenchmark.VisibleSince([Guid.CreateVersion7(At), Guid.NewGuid()]);

        command.CommandText.ShouldContain("= ANY(@ids)");
    }
}
