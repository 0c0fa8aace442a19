namespace Samskaping.Contracts.Outcomes;

/// <summary>Kinds of measurement in a case's schedule.</summary>
public static class MeasurementKinds
{
    public const string Baseline = "baseline";
    public const string FollowUp = "follow-up";
    public const string Closing = "closing";
}

/// <summary>A scheduled measurement became due.</summary>
/// <param name="Kind">One of <see cref="MeasurementKinds"/>.</param>
public sealed record MeasurementDue(
    Guid CaseId,
    Guid MeasurementId,
    string Kind,
    DateOnly DueOn,
    DateTimeOffset At) : ICaseMessage;

/// <summary>One person's responses to a measurement were recorded (an event per person who answers).
/// <paramref name="Partial"/> when not every item was answered.</summary>
/// <param name="RespondentKind">"self", "guardian" or "worker-with-person".</param>
/// <param name="MeasurementComplete">With this person's answers every member of the household has answered: the
/// measurement is complete. False while others have still to answer.</param>
public sealed record MeasurementCompleted(
    Guid CaseId,
    Guid MeasurementId,
    Guid PersonId,
    string Kind,
    string RespondentKind,
    bool Partial,
    DateTimeOffset CompletedAt,
    bool MeasurementComplete = false) : ICaseMessage;

/// <summary>An answer on a negative-effect item was above the alert level. Deliberately without free text.</summary>
/// <param name="Domain">The negative effect, e.g. "gratitude-debt", "unintended-use", "insecurity", "unfair-distribution", "shame".</param>
/// <param name="SharedByFamily">The person (or a guardian) sent the answer themselves and chose to share it with the lead
/// coordinator: its domain and level are for the lead alone, not for everyone who reads the case's timeline.</param>
public sealed record NegativeEffectReported(
    Guid CaseId,
    Guid MeasurementId,
    string Domain,
    int Level,
    DateTimeOffset ReportedAt,
    bool SharedByFamily = false) : ICaseMessage;
