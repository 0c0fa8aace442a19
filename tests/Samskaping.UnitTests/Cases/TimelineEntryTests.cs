using Samskaping.Cases.Timeline;
using Samskaping.Contracts.Coordination;
using Samskaping.Contracts.Grants;
using Samskaping.Contracts.Outcomes;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Cases;

public sealed class TimelineEntryTests
{
    private static readonly Guid Case = Guid.NewGuid();
    private static readonly DateTimeOffset At = new(2026, 11, 27, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Every_entry_keeps_the_case_the_event_and_its_time()
    {
        var eventId = Guid.NewGuid();

        var entry = TimelineEntry.From(eventId, new DisbursementPaid(Case, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 1500m, new DateOnly(2026, 11, 26), "REF-1", At));

        entry.ShouldBe(new TimelineEntry(Case, eventId, "disbursement-paid", "1500.00 NOK was paid on 2026-11-26.", "grants", At));
    }

    [Fact]
    public void A_grant_raised_on_appeal_reads_with_its_new_amount_and_the_increase()
    {
        var entry = TimelineEntry.From(Guid.NewGuid(), new GrantIncreased(Case, Guid.NewGuid(), Guid.NewGuid(), 3000m, 1500m, "kari-oppvekst", null, At));

        entry.Kind.ShouldBe("grant-increased");
        entry.Summary.ShouldBe("A grant was raised to 3000.00 NOK (1500.00 NOK more).");
        entry.OccurredAt.ShouldBe(At);
    }

    [Fact]
    public void The_familys_free_text_and_workers_ids_stay_out_of_the_summary()
    {
        var entries = new[]
        {
            TimelineEntry.From(Guid.NewGuid(), new GrantRequested(Case, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 800m, "Fotballsko til Sara", null, "kari-oppvekst", "oppvekst", At)),
            TimelineEntry.From(Guid.NewGuid(), new GrantDeclined(Case, Guid.NewGuid(), Guid.NewGuid(), "Sara har fått fra NAV", "kari-oppvekst", At)),
            TimelineEntry.From(Guid.NewGuid(), new CoordinatorAssigned(Case, "kari-oppvekst", "oppvekst", At)),
            TimelineEntry.From(Guid.NewGuid(), new SectorLeftCase(Case, "kultur", "Sara sluttet", At)),
        };

        foreach (var entry in entries)
        {
            entry.Summary.ShouldNotContain("Sara");
            entry.Summary.ShouldNotContain("kari-oppvekst");
        }
    }

    [Fact]
    public void Outcomes_and_coordination_read_as_sentences()
    {
        TimelineEntry.From(Guid.NewGuid(), new NegativeEffectReported(Case, Guid.NewGuid(), "gratitude-debt", 8, At)).Summary
            .ShouldBe("A negative effect was reported: gratitude-debt (level 8).");
        TimelineEntry.From(Guid.NewGuid(), new MeasureCompleted(Case, Guid.NewGuid(), true, "kari", At)).Summary.ShouldBe("A measure was completed; it helped.");
        TimelineEntry.From(Guid.NewGuid(), new SectorJoinedCase(Case, "nav", "contributor", At)).Source.ShouldBe("coordination");
        TimelineEntry.From(Guid.NewGuid(), new MeasurementCompleted(Case, Guid.NewGuid(), Guid.NewGuid(), "baseline", "self", true, At)).Summary
            .ShouldBe("A household member answered the baseline measurement (self, partly answered).");
        TimelineEntry.From(Guid.NewGuid(), new MeasurementCompleted(Case, Guid.NewGuid(), Guid.NewGuid(), "follow-up", "guardian", false, At, MeasurementComplete: true)).Summary
            .ShouldBe("A follow-up measurement was completed: the last household member answered (guardian).");
    }
}
