using System.ComponentModel.DataAnnotations;

namespace Samskaping.Cases.Citizens;

/// <summary>
/// A household record the citizen answers for in a measurement: its first name, how the citizen reaches it
/// (<c>self</c> or <c>child</c>), as whom they answer (<c>self</c> or <c>guardian</c>), and when it was answered.
/// </summary>
public sealed record CitizenRespondentDto(Guid PersonId, string FirstName, string Relation, string Respondent, DateTimeOffset? AnsweredAt);

/// <summary>A measurement open for answers, or answered already, for the records the citizen reaches.</summary>
public sealed record CitizenMeasurementDto(
    Guid Id, string Kind, int? OffsetMonths, string Status, DateTimeOffset DueAt, DateTimeOffset OpensAt, IReadOnlyList<CitizenRespondentDto> People);

/// <summary>GET /api/cases/citizen/cases/{caseId}/measurements.</summary>
public sealed record CitizenMeasurementsDto(IReadOnlyList<CitizenMeasurementDto> Measurements);

/// <summary>One question, in bokmål as the instrument has it. <see cref="Sensitive"/>: staff do not see the person's own answer to it.</summary>
public sealed record CitizenQuestionDto(
    string ItemId, int Position, string Text, string Scale, int? MinValue, int? MaxValue, string? AnchorLow, string? AnchorHigh,
    string Domain, bool Sensitive, string? FollowUpOf);

/// <summary>GET /api/cases/citizen/cases/{caseId}/measurements/{measurementId}: the questionnaire; <see cref="Open"/> false when it takes no answers now.</summary>
public sealed record CitizenQuestionnaireDto(
    CitizenMeasurementDto Measurement, string InstrumentId, int InstrumentVersion, string Name, bool Open, IReadOnlyList<CitizenQuestionDto> Items);

/// <summary>One answer: a whole number for a scored question, text for a free-text one.</summary>
public sealed record CitizenAnswerDto([property: MaxLength(100)] string? ItemId, [property: Range(0, 100)] int? Value, [property: MaxLength(2000)] string? Text);

/// <param name="PersonId">Which of the records the citizen reaches they answer for; needed only when they reach more than one in the case.</param>
/// <param name="ShareWithLead">"Del med stafettholderen": whether a negative effect the answers show is signalled to the lead coordinator.</param>
public sealed record CitizenResponseDto(
    Guid? PersonId,
    bool? ShareWithLead,
    [property: MaxLength(200)] IReadOnlyList<CitizenAnswerDto>? Answers);

/// <summary>What was recorded: for whom, as whom, whether partial and shared.</summary>
public sealed record CitizenRecordedDto(Guid Id, Guid MeasurementId, Guid PersonId, string Respondent, bool Partial, bool SharedWithLead, DateTimeOffset RecordedAt);

/// <summary>The outcomes service's internal answers and questions (<c>/internal/outcomes/citizen/…</c>), as cases reads and sends them.</summary>
internal sealed record OutcomesRespondent(Guid PersonId, string Respondent);

internal sealed record OutcomesCitizenQuery(Guid CaseId, Guid? MeasurementId, IReadOnlyList<OutcomesRespondent> People, string Reader);

internal sealed record OutcomesCitizenResponse(
    Guid CaseId, Guid MeasurementId, OutcomesRespondent Person, bool ShareWithLead, IReadOnlyList<CitizenAnswerDto> Answers, string Reader);

internal sealed record OutcomesAnswerState(Guid PersonId, string Respondent, DateTimeOffset? AnsweredAt);

internal sealed record OutcomesMeasurement(
    Guid Id, string Kind, int? OffsetMonths, string Status, DateTimeOffset DueAt, DateTimeOffset OpensAt, IReadOnlyList<OutcomesAnswerState> People);

internal sealed record OutcomesMeasurementList(IReadOnlyList<OutcomesMeasurement> Measurements);

internal sealed record OutcomesQuestionnaire(
    OutcomesMeasurement Measurement, string InstrumentId, int InstrumentVersion, string Name, IReadOnlyList<CitizenQuestionDto> Items, string? Closed);

internal sealed record OutcomesRecorded(
    Guid Id, Guid MeasurementId, Guid PersonId, string RespondentKind, bool Partial, bool? SharedWithLead, DateTimeOffset RecordedAt);
