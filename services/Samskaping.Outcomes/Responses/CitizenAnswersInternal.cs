using System.ComponentModel.DataAnnotations;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using Samskaping.Access;
using Samskaping.Messaging.Database;
using Samskaping.Outcomes.Instruments;
using Samskaping.Outcomes.Schedules;
using Samskaping.Outcomes.Scoring;
using Samskaping.ServiceDefaults;

namespace Samskaping.Outcomes.Responses;

/// <summary>A household record the citizen reaches, and as whom they answer for it: <c>self</c>, or <c>guardian</c> for a child.</summary>
public sealed record CitizenRespondent(Guid PersonId, [property: MaxLength(20)] string? Respondent);

/// <summary>
/// The cases service's question on behalf of a signed-in citizen: which case, the records the relation rule gives the
/// citizen in it (cases alone knows the rule), and the citizen's pseudonymous subject, so that this service's
/// access-log rows are the citizen's own reads.
/// </summary>
public sealed record CitizenAnswersQuery(
    Guid CaseId,
    Guid? MeasurementId,
    [property: MaxLength(CitizenAnswersInternal.MaxPeople)] IReadOnlyList<CitizenRespondent>? People,
    [property: MaxLength(CitizenAnswersInternal.MaxSubjectLength)] string? Reader);

/// <summary>The citizen's answers for one record, after the cases service derived the person and the respondent kind.</summary>
public sealed record CitizenResponseCommand(
    Guid CaseId,
    Guid MeasurementId,
    CitizenRespondent? Person,
    bool? ShareWithLead,
    [property: MaxLength(CheckedAnswers.MaxAnswers)] IReadOnlyList<AnswerInput>? Answers,
    [property: MaxLength(CitizenAnswersInternal.MaxSubjectLength)] string? Reader);

/// <summary>Whether a reached record has answered a measurement, and as whom it would answer.</summary>
public sealed record CitizenAnswerState(Guid PersonId, string Respondent, DateTimeOffset? AnsweredAt);

public sealed record CitizenMeasurement(
    Guid Id, string Kind, int? OffsetMonths, string Status, DateTimeOffset DueAt, DateTimeOffset OpensAt, IReadOnlyList<CitizenAnswerState> People);

/// <param name="Sensitive">The item is on a sensitive domain: staff who read the person's response do not see it.</param>
public sealed record CitizenItem(
    string ItemId, int Position, string Text, string Scale, int? MinValue, int? MaxValue, string? AnchorLow, string? AnchorHigh,
    string Domain, bool Sensitive, string? FollowUpOf);

/// <summary>A measurement with its questionnaire, as the person answers it; <see cref="Closed"/> says why it takes no answers now.</summary>
public sealed record CitizenQuestionnaire(
    CitizenMeasurement Measurement, string InstrumentId, int InstrumentVersion, string Name, IReadOnlyList<CitizenItem> Items, string? Closed);

public sealed record CitizenMeasurementList(IReadOnlyList<CitizenMeasurement> Measurements);

/// <summary>
/// The family answers for itself (docs/architecture.md §8): the cases service, having applied the relation rule, asks
/// here which measurements are open for the records the citizen reaches, reads one with its questionnaire, and records
/// the answers through the worker's own checks and store (<see cref="ResponsesApi.Answer"/>). Service tokens only.
/// </summary>
public static class CitizenAnswersInternal
{
    public const int MaxPeople = 20;
    public const int MaxSubjectLength = 200;
    public const string Purpose = "citizen's own view";

    public static void MapCitizenAnswersInternal(this IEndpointRouteBuilder app)
    {
        var group = app.MapCitizenReads("outcomes");
        group.MapPost("/measurements", List)
            .WithName("InternalCitizenMeasurements")
            .WithSummary("The open measurements of a case, with whether each record the citizen reaches has answered")
            .WithDescription("For the cases service's citizen endpoints; access-logged as the citizen's own read. A service token only.")
            .ProducesInvalid();
        group.MapPost("/measurement", Get)
            .WithName("InternalCitizenQuestionnaire")
            .WithSummary("One measurement of the case with its questionnaire in bokmål")
            .WithDescription("404 when the case has no such measurement. A service token only.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/responses", Record)
            .WithName("InternalCitizenResponse")
            .WithSummary("Record the answers a citizen sent for themselves or a child in their care")
            .WithDescription("Checked and stored exactly as a worker's response (RecordResponse): 422 naming the item, 409 when answered already " +
                "or not open; the negative-effect signal only when shareWithLead. A service token only.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    public static async Task<Results<Ok<CitizenMeasurementList>, ProblemHttpResult>> List(
        CitizenAnswersQuery query, DbSession db, AccessLog accessLog, IOptions<ScheduleOptions> schedule, TimeProvider clock, CancellationToken ct)
    {
        if (Validate(query, needsMeasurement: false) is { } invalid)
        {
            return invalid.ToProblem();
        }
        var connection = await db.Connection(ct);
        var now = clock.GetUtcNow();
        var open = (await ScheduleStore.ForCase(query.CaseId, connection, ct))
            .Where(m => m.CancelledAt is null && m.OpensAt(schedule.Value.FollowUpOpensBefore) <= now).ToList();
        var answered = await AnsweredAt(query, [.. open.Select(m => m.Id)], connection, ct);
        await Log(accessLog, query, connection, ct);
        return TypedResults.Ok(new CitizenMeasurementList([.. open.Select(m => Describe(m, query, answered, schedule.Value, now))]));
    }

    public static async Task<Results<Ok<CitizenQuestionnaire>, ProblemHttpResult>> Get(
        CitizenAnswersQuery query, DbSession db, AccessLog accessLog, IOptions<ScheduleOptions> schedule, TimeProvider clock, CancellationToken ct)
    {
        if (Validate(query, needsMeasurement: true) is { } invalid)
        {
            return invalid.ToProblem();
        }
        var connection = await db.Connection(ct);
        var now = clock.GetUtcNow();
        var measurement = await ScheduleStore.Find(query.CaseId, query.MeasurementId!.Value, connection, ct);
        var instrument = await InstrumentStore.Find(InstrumentStore.Core, null, connection, ct);
        if (measurement is null || instrument is null)
        {
            return Refusal.NotFound("Measurement not found.", $"The case has no measurement {query.MeasurementId}.").ToProblem();
        }
        var answered = await AnsweredAt(query, [measurement.Id], connection, ct);
        await Log(accessLog, query, connection, ct);
        var sensitive = DomainScores.NegativeDomains(instrument);
        var closed = ResponsesApi.Unanswerable(measurement, schedule.Value.FollowUpOpensBefore, now);
        return TypedResults.Ok(new CitizenQuestionnaire(Describe(measurement, query, answered, schedule.Value, now), instrument.InstrumentId, instrument.Version,
            instrument.Name,
            [.. instrument.Items.Select(i => new CitizenItem(i.ItemId, i.Position, i.TextNb, i.Scale, i.MinValue, i.MaxValue, i.AnchorLow, i.AnchorHigh,
                i.Domain, sensitive.Contains(i.Domain), i.FollowUpOf))],
            closed?.Title));
    }

    public static async Task<Results<Created<ResponseDto>, ProblemHttpResult>> Record(
        CitizenResponseCommand command, DbSession db, ResponseStore responses, IOptions<OutcomesOptions> options, IOptions<ScheduleOptions> schedule,
        TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (command.Person is not { } person || person.PersonId == Guid.Empty || person.Respondent is not (RespondentKinds.Self or RespondentKinds.Guardian))
        {
            errors.Add("person", "Required: the record the citizen answers for, with respondent self or guardian.");
        }
        if (command.ShareWithLead is null)
        {
            errors.Add("shareWithLead", "Required: whether the person shares a negative effect with the lead coordinator.");
        }
        if (string.IsNullOrWhiteSpace(command.Reader))
        {
            errors.Add("reader", "Required: the citizen's subject.");
        }
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The response is incomplete.", errors).ToProblem();
        }
        var connection = await db.Connection(ct);
        var recorded = await ResponsesApi.Answer(command.CaseId, command.MeasurementId,
            new RecordResponse(command.Person!.PersonId, command.Person.Respondent, null, null, command.Answers), command.ShareWithLead,
            Reader(command.Reader!), connection, responses, options.Value, schedule.Value, clock, ct);
        return recorded.Refusal is { } refusal
            ? refusal.ToProblem()
            : TypedResults.Created($"/api/outcomes/cases/{command.CaseId}/responses/{recorded.Value!.Id}", recorded.Value);
    }

    private static Refusal? Validate(CitizenAnswersQuery query, bool needsMeasurement)
    {
        var errors = new ValidationErrors();
        if (query.People is not { Count: > 0 } people || people.Any(p => p.PersonId == Guid.Empty || p.Respondent is not (RespondentKinds.Self or RespondentKinds.Guardian)))
        {
            errors.Add("people", "Required: the records the citizen reaches, each with respondent self or guardian.");
        }
        if (needsMeasurement && query.MeasurementId is null)
        {
            errors.Add("measurementId", "Required.");
        }
        if (string.IsNullOrWhiteSpace(query.Reader))
        {
            errors.Add("reader", "Required: the citizen's subject.");
        }
        return errors.IsValid ? null : Refusal.Invalid("The question is incomplete.", errors);
    }

    /// <summary>The citizen as this service's access log records them: their pseudonymous subject, role citizen, no sector.</summary>
    private static CurrentUser Reader(string subject) => new(subject, "", Roles.Citizen, "");

    private static Task Log(AccessLog accessLog, CitizenAnswersQuery query, NpgsqlConnection connection, CancellationToken ct) =>
        accessLog.WriteMany(Reader(query.Reader!), [.. query.People!.Select(p => new AccessSubject(query.CaseId, p.PersonId))],
            AccessActions.Read, Purpose, connection, ct);

    private static async Task<ILookup<(Guid Measurement, Guid Person), DateTimeOffset>> AnsweredAt(
        CitizenAnswersQuery query, Guid[] measurements, NpgsqlConnection connection, CancellationToken ct) =>
        (await connection.QueryAsync<(Guid MeasurementId, Guid PersonId, DateTime RecordedAt)>(new CommandDefinition(
            "SELECT measurement_id, person_id, recorded_at FROM outcomes.responses WHERE measurement_id = ANY(@measurements) AND person_id = ANY(@people)",
            new { measurements, people = query.People!.Select(p => p.PersonId).ToArray() }, cancellationToken: ct)))
        .ToLookup(r => (r.MeasurementId, r.PersonId), r => r.RecordedAt.AsUtc());

    private static CitizenMeasurement Describe(
        Measurement m, CitizenAnswersQuery query, ILookup<(Guid, Guid), DateTimeOffset> answered, ScheduleOptions schedule, DateTimeOffset now) =>
        new(m.Id, m.Kind, m.OffsetMonths, m.Status(now), m.DueAt, m.OpensAt(schedule.FollowUpOpensBefore),
            [.. query.People!.Select(p => new CitizenAnswerState(p.PersonId, p.Respondent!, answered[(m.Id, p.PersonId)].Cast<DateTimeOffset?>().FirstOrDefault()))]);
}
