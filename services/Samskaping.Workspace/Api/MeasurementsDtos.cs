namespace Samskaping.Workspace.Api;

// Outcome measurements as the measurement pages show them (the outcomes service's schedule, responses, change and
// instruments): only the fields shown.

public sealed record ScheduledMeasurement(
    Guid Id, string Kind, int? OffsetMonths, string Status, DateTimeOffset DueAt, DateTimeOffset OpensAt, DateTimeOffset? CompletedAt)
{
    /// <summary>Whether the API takes answers to it now: neither completed nor cancelled, and open.</summary>
    public bool Answerable(DateTimeOffset now) => Status is "due" or "overdue" && OpensAt <= now;
}

public sealed record MeasurementSchedule(Guid CaseId, IReadOnlyList<ScheduledMeasurement> Measurements);

public sealed record OutcomeAnswer(string ItemId, int? Value, string? Text);

public sealed record OutcomeResponse(
    Guid Id,
    Guid MeasurementId,
    string MeasurementKind,
    Guid PersonId,
    string RespondentKind,
    string InstrumentId,
    int InstrumentVersion,
    bool Partial,
    DateTimeOffset RecordedAt,
    IReadOnlyList<OutcomeAnswer> Answers,
    IReadOnlyDictionary<string, double> DomainScores,
    OutcomeWithheld? Withheld = null);

/// <summary>The sensitive domains a staff read does not show of a response the family sent itself.</summary>
public sealed record OutcomeWithheld(IReadOnlyList<string> Domains, string? Kind = null);

public sealed record OutcomeDomainChange(string Domain, double Baseline, double Latest, double Change, double? Index, string Classification);

public sealed record OutcomePersonChange(Guid PersonId, DateTimeOffset BaselineAt, DateTimeOffset LatestAt, string LatestKind, IReadOnlyList<OutcomeDomainChange> Domains);

public sealed record CaseOutcomeChange(Guid CaseId, IReadOnlyList<OutcomePersonChange> People);

public sealed record InstrumentItem(
    string ItemId, int Position, string TextNb, string Scale, int? MinValue, int? MaxValue, string? AnchorLow, string? AnchorHigh,
    string Domain, bool NegativeEffect, string? FollowUpOf);

public sealed record OutcomeInstrument(string InstrumentId, int Version, string Name, IReadOnlyList<InstrumentItem> Items);
