using System.Globalization;
using Samskaping.Contracts.Coordination;
using Samskaping.Contracts.Grants;
using Samskaping.Contracts.Outcomes;

namespace Samskaping.Cases.Timeline;

/// <summary>
/// One thing that happened to a case, in a sentence a caseworker reads on the timeline. Summaries carry no names
/// and no identity numbers, and no free text the family wrote (that stays where it was recorded).
/// </summary>
public sealed record TimelineEntry(Guid CaseId, Guid EventId, string Kind, string Summary, string Source, DateTimeOffset OccurredAt)
{
    public const string Cases = "cases";
    public const string Coordination = "coordination";
    public const string Grants = "grants";
    public const string Outcomes = "outcomes";

    public static TimelineEntry From(Guid eventId, CoordinatorAssigned m) =>
        new(m.CaseId, eventId, "coordinator-assigned", $"A lead coordinator in {m.Sector} took responsibility for the case.", Coordination, m.AssignedAt);

    public static TimelineEntry From(Guid eventId, CoordinatorHandoverRequested m) =>
        new(m.CaseId, eventId, "coordinator-handover-requested", $"The lead coordinator asked a worker in {m.ToSector} to take over.", Coordination, m.RequestedAt);

    public static TimelineEntry From(Guid eventId, SectorJoinedCase m) =>
        new(m.CaseId, eventId, "sector-joined", $"{m.Sector} joined the case as {m.Role}.", Coordination, m.JoinedAt);

    public static TimelineEntry From(Guid eventId, SectorLeftCase m) =>
        new(m.CaseId, eventId, "sector-left", $"{m.Sector} left the case.", Coordination, m.LeftAt);

    public static TimelineEntry From(Guid eventId, MeasureAgreed m) =>
        new(m.CaseId, eventId, "measure-agreed",
            $"A measure was agreed, with {m.ResponsibleSector} responsible from {Day(m.StartsOn)}; next review {Day(m.NextReviewOn)}.", Coordination, m.AgreedAt);

    public static TimelineEntry From(Guid eventId, MeasureCompleted m) =>
        new(m.CaseId, eventId, "measure-completed", m.Helped switch
        {
            true => "A measure was completed; it helped.",
            false => "A measure was completed; it did not help.",
            null => "A measure was completed.",
        }, Coordination, m.CompletedAt);

    public static TimelineEntry From(Guid eventId, ReviewOverdue m) =>
        new(m.CaseId, eventId, "review-overdue", $"The review of a measure ({m.ResponsibleSector}) was due {Day(m.ReviewDueOn)} and has not been done.", Coordination, m.DetectedAt);

    public static TimelineEntry From(Guid eventId, GrantRequested m) =>
        new(m.CaseId, eventId, "grant-requested", $"A grant of {Nok(m.Amount)} was requested by {m.RequestedBySector}.", Grants, m.RequestedAt);

    public static TimelineEntry From(Guid eventId, GrantApproved m) =>
        new(m.CaseId, eventId, "grant-approved",
            m.SecondApprover is null ? $"A grant of {Nok(m.Amount)} was approved." : $"A grant of {Nok(m.Amount)} was approved by two people.", Grants, m.ApprovedAt);

    public static TimelineEntry From(Guid eventId, GrantIncreased m) =>
        new(m.CaseId, eventId, "grant-increased", $"A grant was raised to {Nok(m.Amount)} ({Nok(m.Increase)} more).", Grants, m.IncreasedAt);

    public static TimelineEntry From(Guid eventId, GrantDeclined m) =>
        new(m.CaseId, eventId, "grant-declined", "A grant request was declined.", Grants, m.DeclinedAt);

    public static TimelineEntry From(Guid eventId, DisbursementPaid m) =>
        new(m.CaseId, eventId, "disbursement-paid", $"{Nok(m.Amount)} was paid on {Day(m.PaidOn)}.", Grants, m.RecordedAt);

    public static TimelineEntry From(Guid eventId, DisbursementStopped m) =>
        new(m.CaseId, eventId, "disbursement-stopped", $"A planned payment of {Nok(m.Amount)} was stopped.", Grants, m.StoppedAt);

    public static TimelineEntry From(Guid eventId, DisbursementCancelled m) =>
        new(m.CaseId, eventId, "disbursement-cancelled", $"A planned payment of {Nok(m.Amount)} was cancelled.", Grants, m.CancelledAt);

    public static TimelineEntry From(Guid eventId, MeasurementCompleted m) =>
        new(m.CaseId, eventId, "measurement-completed",
            (m.MeasurementComplete ? $"A {m.Kind} measurement was completed: the last household member answered" : $"A household member answered the {m.Kind} measurement")
            + $" ({m.RespondentKind}{(m.Partial ? ", partly answered" : "")}).", Outcomes, m.CompletedAt);

    // What the family shared with the lead is the lead's to read (their task in coordination); everyone on the case
    // sees only that something was shared.
    public static TimelineEntry From(Guid eventId, NegativeEffectReported m) =>
        new(m.CaseId, eventId, "negative-effect-reported",
            m.SharedByFamily
                ? "The family shared a negative effect with the lead coordinator; what it is about is in the lead's tasks."
                : $"A negative effect was reported: {m.Domain} (level {m.Level}).",
            Outcomes, m.ReportedAt);

    private static string Nok(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture) + " NOK";

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
