namespace Samskaping.Workspace.Api;

// The family's own questionnaires (GET/POST /api/cases/citizen/cases/{caseId}/measurements…): only the fields shown.

/// <summary>Someone the citizen answers for: themselves (<c>self</c>) or a child in their care (<c>guardian</c>).</summary>
public sealed record CitizenRespondent(Guid PersonId, string FirstName, string Relation, string Respondent, DateTimeOffset? AnsweredAt);

public sealed record CitizenMeasurement(
    Guid Id, string Kind, int? OffsetMonths, string Status, DateTimeOffset DueAt, DateTimeOffset OpensAt, IReadOnlyList<CitizenRespondent> People);

public sealed record CitizenMeasurementList(IReadOnlyList<CitizenMeasurement> Measurements);

public sealed record CitizenQuestion(
    string ItemId, int Position, string Text, string Scale, int? MinValue, int? MaxValue, string? AnchorLow, string? AnchorHigh,
    string Domain, bool Sensitive, string? FollowUpOf);

public sealed record CitizenQuestionnaire(CitizenMeasurement Measurement, string Name, bool Open, IReadOnlyList<CitizenQuestion> Items);

public sealed record CitizenRecorded(Guid Id, Guid PersonId, string Respondent);
