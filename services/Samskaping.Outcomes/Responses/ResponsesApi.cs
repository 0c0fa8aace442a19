using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using Samskaping.Access;
using Samskaping.Messaging.Database;
using Samskaping.Outcomes.CaseFacts;
using Samskaping.Outcomes.Instruments;
using Samskaping.Outcomes.Schedules;
using Samskaping.Outcomes.Scoring;
using Samskaping.ServiceDefaults;

namespace Samskaping.Outcomes.Responses;

/// <param name="PersonId">A member of the case's household (known from cases' HouseholdMemberAdded).</param>
/// <param name="Respondent">"self", "guardian" (on behalf of a child under 18) or "worker-with-person".</param>
/// <param name="InstrumentId">Defaults to "samskaping-core"; <paramref name="InstrumentVersion"/> defaults to its latest version.</param>
public sealed record RecordResponse(
    Guid? PersonId,
    [property: AllowedValues(RespondentKinds.Self, RespondentKinds.Guardian, RespondentKinds.WorkerWithPerson)] string? Respondent,
    [property: MaxLength(InstrumentStore.MaxIdLength)] string? InstrumentId,
    [property: Range(1, int.MaxValue)] int? InstrumentVersion,
    [property: MaxLength(CheckedAnswers.MaxAnswers)] IReadOnlyList<AnswerInput>? Answers);

public sealed record CaseChangeDto(Guid CaseId, IReadOnlyList<PersonChange> People);

public static class ResponsesApi
{
    public static void MapResponseEndpoints(this IEndpointRouteBuilder app)
    {
        var cases = app.MapApiGroup("/api/outcomes/cases", "Responses and change", Policies.SectorStaff).RequireCaseAccess();

        // Recorded by the family or a worker with them: caseworkers and coordinators; grant approvers only read.
        cases.MapPost("/{caseId:guid}/measurements/{measurementId:guid}/responses", Record)
            .RequireAuthorization(Policies.CaseWorker)
            .WithName("RecordResponse")
            .WithSummary("Record one person's answers to a measurement")
            .WithDescription("""
                Answered by the person themselves, by a guardian on behalf of a child, or by a worker together with the person.
                Each answer is a JSON number checked against its item (text such as "5" is 400, an out-of-range value is 422 naming
                the item, as is a missing personId or respondent); skipped items make the response partial. A follow-up can't be
                answered until Schedules:FollowUpOpensBefore (14 days) before it is due (409). The measurement is completed when every
                member of the household has answered it.
                Publishes MeasurementCompleted for the person (measurementComplete when theirs was the last answer it needed), and
                NegativeEffectReported for each negative-effect answer above Outcomes:NegativeEffectAlertLevel (without free text).
                Access-logged.
                """)
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);

        cases.MapGet("/{caseId:guid}/responses", List)
            .WithName("ListResponses")
            .WithSummary("The case's responses with answers and domain scores")
            .WithDescription("Only for workers whose sector takes part in the case (with consent) or its lead; otherwise 404. Of a response the " +
                "person (or a guardian) sent from the family's own pages (sharedWithLead not null), the answers and scores on the sensitive " +
                "domains are withheld from every worker; of a self- or guardian-reported response a worker recorded, from a reader who holds " +
                "the grant-approver role. withheld names those domains, why and which rule (kind). Access-logged.");

        cases.MapGet("/{caseId:guid}/change", Change)
            .WithName("GetCaseChange")
            .WithSummary("Per person: change from baseline to the latest measurement, per domain, with the reliable change index")
            .WithDescription("Jacobson–Truax RCI with the Christensen–Mendoza correction; |RCI| > 1.96 is improved or deteriorated (for negative effects a rise is a deterioration). Access-logged.");
    }

    public static async Task<Results<Created<ResponseDto>, ProblemHttpResult>> Record(
        Guid caseId, Guid measurementId, RecordResponse? command, CurrentUser user, DbSession db, ResponseStore responses,
        IOptions<OutcomesOptions> options, IOptions<ScheduleOptions> schedule, TimeProvider clock, CancellationToken ct)
    {
        var connection = await db.Connection(ct);
        var recorded = await Answer(caseId, measurementId, command, sharedWithLead: null, user, connection, responses, options.Value, schedule.Value, clock, ct);
        return recorded.Refusal is { } refusal
            ? refusal.ToProblem()
            : TypedResults.Created($"/api/outcomes/cases/{caseId}/responses/{recorded.Value!.Id}", recorded.Value);
    }

    /// <summary>
    /// Records a response as a worker does (<see cref="Record"/>) and as the family does from its own pages
    /// (<see cref="CitizenAnswersInternal"/>): the same checks, the same store, the same refusals. <paramref name="sharedWithLead"/>
    /// is null for a worker's recording and the person's choice when they send their own answers.
    /// </summary>
    public static async Task<Result<ResponseDto>> Answer(
        Guid caseId, Guid measurementId, RecordResponse? command, bool? sharedWithLead, CurrentUser user, NpgsqlConnection connection,
        ResponseStore responses, OutcomesOptions options, ScheduleOptions schedule, TimeProvider clock, CancellationToken ct)
    {
        var measurement = await ScheduleStore.Find(caseId, measurementId, connection, ct);
        if (measurement is null)
        {
            return Refusal.NotFound("Measurement not found.", $"The case has no measurement {measurementId}.");
        }
        if (Unanswerable(measurement, schedule.FollowUpOpensBefore, clock.GetUtcNow()) is { } closed)
        {
            return closed;
        }
        var checkedResponse = await Check(command, measurement, connection, clock, ct);
        if (checkedResponse.Refusal is { } refusal)
        {
            return refusal;
        }
        var recorded = await responses.Record(checkedResponse.Value! with { SharedWithLead = sharedWithLead }, options.NegativeEffectAlertLevel, user, connection, ct);
        return recorded is null
            ? Refusal.Conflict("Already answered.", "This person has already answered this measurement; a response is never overwritten.")
            : recorded;
    }

    /// <summary>Why the measurement takes no answers now (409), or null when it does.</summary>
    public static Refusal? Unanswerable(Measurement measurement, TimeSpan followUpOpensBefore, DateTimeOffset now)
    {
        if (measurement.CancelledAt is not null)
        {
            return Refusal.Conflict("The measurement was cancelled.",
                "It fell after the case closed; record the answers on the closing measurement instead.");
        }
        var opensAt = measurement.OpensAt(followUpOpensBefore);
        return now < opensAt
            ? Refusal.Conflict("The measurement is not open for answers yet.", string.Create(CultureInfo.InvariantCulture,
                $"A follow-up measures the family some months on: it opens {followUpOpensBefore.TotalDays:0.##} days before it is due. This one is due {measurement.DueAt:yyyy-MM-dd} and opens {opensAt:yyyy-MM-dd HH:mm} UTC."))
            : null;
    }

    /// <summary>
    /// The response as it will be recorded, or why not: first what every response needs (who answered, and as whom),
    /// then whether it fits the instrument version and the case's household.
    /// </summary>
    private static async Task<Result<NewResponse>> Check(
        RecordResponse? command, Measurement measurement, NpgsqlConnection connection, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (command is null)
        {
            errors.Unreadable("body", "A JSON object with personId, respondent and answers is required.");
            return Refusal.Invalid("The response is incomplete.", errors);
        }
        if (command.PersonId is null || command.PersonId == Guid.Empty)
        {
            errors.Add("personId", "Required: the id of a member of the case's household.");
        }
        if (command.Respondent is null)
        {
            errors.Add("respondent", $"Required: one of {string.Join(", ", RespondentKinds.All)}.");
        }
        if (command.InstrumentId is { Length: > InstrumentStore.MaxIdLength })
        {
            errors.Add("instrumentId", $"At most {InstrumentStore.MaxIdLength} characters.");
        }
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The response is incomplete.", errors);
        }

        var personId = command.PersonId!.Value;
        var instrumentId = command.InstrumentId ?? InstrumentStore.Core;
        var instrument = await InstrumentStore.Find(instrumentId, command.InstrumentVersion, connection, ct);
        if (instrument is null)
        {
            errors.Add("instrumentId", $"There is no instrument '{instrumentId}'{(command.InstrumentVersion is { } v ? $" version {v}" : "")}.");
        }
        if (!RespondentKinds.All.Contains(command.Respondent))
        {
            errors.Add("respondent", $"'{command.Respondent}' is not one of {string.Join(", ", RespondentKinds.All)}.");
        }
        var member = await CaseFactStore.FindMember(connection, measurement.CaseId, personId, ct);
        if (member is null)
        {
            errors.Add("personId", "Not a member of the case's household (as known to outcomes from the cases service).");
        }
        else if (command.Respondent == RespondentKinds.Guardian && member.AgeOn(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)) >= 18)
        {
            errors.Add("respondent", "A guardian answers only on behalf of a child under 18.");
        }
        var answers = instrument is null ? null : CheckedAnswers.Check(instrument, command.Answers);
        foreach (var (key, messages) in answers?.Errors ?? new Dictionary<string, string[]>())
        {
            foreach (var message in messages)
            {
                errors.Add(key, message);
            }
        }
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The answers do not fit the instrument or the case.", errors);
        }
        return new NewResponse(measurement, personId, command.Respondent!, instrument!, answers!, DomainScores.Compute(instrument!, answers!.Values));
    }

    public static async Task<Ok<IReadOnlyList<ResponseDto>>> List(
        Guid caseId, CurrentUser user, DbSession db, AccessLog accessLog, CancellationToken ct)
    {
        var connection = await db.Connection(ct);
        var list = await ResponseStore.ForCase(caseId, user, connection, ct);
        // The case, and each person whose answers are shown.
        await accessLog.WriteMany(user, [AccessSubject.Case(caseId), .. list.Select(r => new AccessSubject(caseId, r.PersonId))],
            AccessActions.Read, "read outcome responses", connection, ct);
        return TypedResults.Ok(list);
    }

    public static async Task<Ok<CaseChangeDto>> Change(
        Guid caseId, CurrentUser user, DbSession db, AccessLog accessLog, IOptions<OutcomesOptions> options, CancellationToken ct)
    {
        var connection = await db.Connection(ct);
        var list = await ResponseStore.ForCase(caseId, user, connection, ct);
        await accessLog.WriteMany(user, [AccessSubject.Case(caseId), .. list.Select(r => new AccessSubject(caseId, r.PersonId))],
            AccessActions.Read, "read outcome change", connection, ct);
        return TypedResults.Ok(new CaseChangeDto(caseId, PersonChanges.From(list, options.Value)));
    }
}
