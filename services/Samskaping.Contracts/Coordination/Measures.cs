namespace Samskaping.Contracts.Coordination;

/// <summary>A measure (tiltak) was agreed in the case's action plan.</summary>
/// <param name="GoalId">The case goal it serves, when there is one.</param>
public sealed record MeasureAgreed(
    Guid CaseId,
    Guid MeasureId,
    Guid? GoalId,
    string Title,
    string ResponsibleSector,
    DateOnly StartsOn,
    DateOnly? EndsOn,
    DateOnly NextReviewOn,
    string AgreedBy,
    DateTimeOffset AgreedAt) : ICaseMessage;

/// <summary>A measure ended. <paramref name="Helped"/> is the evaluation's answer to "did it help?", when given.</summary>
public sealed record MeasureCompleted(
    Guid CaseId,
    Guid MeasureId,
    bool? Helped,
    string CompletedBy,
    DateTimeOffset CompletedAt) : ICaseMessage;

/// <summary>A measure's review date has passed without an evaluation.</summary>
public sealed record ReviewOverdue(
    Guid CaseId,
    Guid MeasureId,
    string ResponsibleSector,
    DateOnly ReviewDueOn,
    DateTimeOffset DetectedAt) : ICaseMessage;
