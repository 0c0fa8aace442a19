using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using Samskaping.Access;
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
        var cases = app.MapApiGroup("/api/outcomes/cases", "Responses and change", Policies.SectorStaff);

        // Recorded by the family or a worker with them: caseworkers and coordinators; grant approvers only read.
        cases.MapPost("/{caseId:guid}/measurements/{measurementId:guid}/responses", Record)
            .RequireAuthorization(Policies.CaseWorker)
            .WithName("RecordResponse")
            .WithSummary("Record one person's answers to a measurement")
            .WithDescription("""
                Answered by the person themselves, by a guardian on behalf of a child, or by a worker together with the person.
                Each answer is a JSON number checked against its item (text such as "5" is 400, an out-of-range value is 422 naming
                the item); skipped items make the response partial. A follow-up can't be answered until Schedules:FollowUpOpensBefore
                (14 days) before it is due (409). The measurement is completed when every member of the household has answered it.
                Publishes MeasurementCompleted for the person (measurementComplete when theirs was the last answer it needed), and
                NegativeEffectReported for each negative-effect answer above Outcomes:NegativeEffectAlertLevel (without free text).
                Access-logged.
                """)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        cases.MapGet("/{caseId:guid}/responses", List)
            .WithName("ListResponses")
            .WithSummary("The case's responses with answers and domain scores")
            .WithDescription("Only for workers whose sector takes part in the case (with consent) or its lead; otherwise 404. Access-logged.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        cases.MapGet("/{caseId:guid}/change", Change)
            .WithName("GetCaseChange")
            .WithSummary("Per person: change from baseline to the latest measurement, per domain, with the reliable change index")
            .WithDescription("Jacobson–Truax RCI with the Christensen–Mendoza correction; |RCI| > 1.96 is improved or deteriorated (for negative effects a rise is a deterioration). Access-logged.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static async Task<Results<Created<ResponseDto>, ValidationProblem, ProblemHttpResult>> Record(
        Guid caseId, Guid measurementId, RecordResponse? command, CurrentUser user, CaseAccess access, ScheduleStore schedules,
        InstrumentStore instruments, ResponseStore responses, NpgsqlDataSource dataSource, IOptions<OutcomesOptions> options,
        IOptions<ScheduleOptions> schedule, TimeProvider clock, CancellationToken ct)
    {
        if (!await access.CanSee(caseId, user, ct))
        {
            return ApiGroups.CaseNotFound(caseId);
        }
        var measurement = await schedules.Find(caseId, measurementId, ct);
        if (measurement is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Measurement not found.",
                detail: $"The case has no measurement {measurementId}.");
        }
        if (measurement.CancelledAt is not null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The measurement was cancelled.",
                detail: "It fell after the case closed; record the answers on the closing measurement instead.");
        }
        var opensAt = measurement.OpensAt(schedule.Value.FollowUpOpensBefore);
        if (clock.GetUtcNow() < opensAt)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The measurement is not open for answers yet.",
                detail: string.Create(CultureInfo.InvariantCulture,
                    $"A follow-up measures the family some months on: it opens {schedule.Value.FollowUpOpensBefore.TotalDays:0.##} days before it is due. This one is due {measurement.DueAt:yyyy-MM-dd} and opens {opensAt:yyyy-MM-dd HH:mm} UTC."));
        }

        var errors = new ValidationErrors();
        var personId = command?.PersonId;
        if (command is null)
        {
            errors.Add("body", "A JSON object with personId, respondent and answers is required.");
        }
        else
        {
            if (personId is null || personId == Guid.Empty)
            {
                errors.Add("personId", "Required: the id of a member of the case's household.");
            }
            if (command.Respondent is null)
            {
                errors.Add("respondent", $"Required: one of {string.Join(", ", RespondentKinds.All)}.");
            }
        }
        if (command?.InstrumentId is { Length: > InstrumentStore.MaxIdLength })
        {
            errors.Add("instrumentId", $"At most {InstrumentStore.MaxIdLength} characters.");
        }
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The response is incomplete.");
        }

        var unprocessable = new Dictionary<string, string[]>();
        var instrumentId = command!.InstrumentId ?? InstrumentStore.Core;
        var instrument = await instruments.Find(instrumentId, command.InstrumentVersion, ct);
        if (instrument is null)
        {
            unprocessable["instrumentId"] = [$"There is no instrument '{instrumentId}'{(command.InstrumentVersion is { } v ? $" version {v}" : "")}."];
        }
        if (!RespondentKinds.All.Contains(command.Respondent))
        {
            unprocessable["respondent"] = [$"'{command.Respondent}' is not one of {string.Join(", ", RespondentKinds.All)}."];
        }
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            var member = await CaseFactStore.FindMember(connection, caseId, personId!.Value, ct);
            if (member is null)
            {
                unprocessable["personId"] = ["Not a member of the case's household (as known to outcomes from the cases service)."];
            }
            else if (command.Respondent == RespondentKinds.Guardian && member.AgeOn(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)) >= 18)
            {
                unprocessable["respondent"] = ["A guardian answers only on behalf of a child under 18."];
            }
        }
        var answers = instrument is null ? null : CheckedAnswers.Check(instrument, command.Answers);
        foreach (var (key, messages) in answers?.Errors ?? new Dictionary<string, string[]>())
        {
            unprocessable[key] = messages;
        }
        if (unprocessable.Count > 0)
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(unprocessable)
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "The answers do not fit the instrument or the case.",
            });
        }

        var recorded = await responses.Record(
            new NewResponse(measurement, personId!.Value, command.Respondent!, instrument!, answers!, DomainScores.Compute(instrument!, answers!.Values)),
            options.Value.NegativeEffectAlertLevel, user, ct);
        if (recorded is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already answered.",
                detail: "This person has already answered this measurement; a response is never overwritten.");
        }
        return TypedResults.Created($"/api/outcomes/cases/{caseId}/responses/{recorded.Id}", recorded);
    }

    public static async Task<Results<Ok<IReadOnlyList<ResponseDto>>, ProblemHttpResult>> List(
        Guid caseId, CurrentUser user, CaseAccess access, ResponseStore responses, AccessLog accessLog, CancellationToken ct)
    {
        if (!await access.CanSee(caseId, user, ct))
        {
            return ApiGroups.CaseNotFound(caseId);
        }
        var list = await responses.ForCase(caseId, ct);
        // The case, and each person whose answers are shown.
        await accessLog.WriteMany(user, [AccessSubject.Case(caseId), .. list.Select(r => new AccessSubject(caseId, r.PersonId))],
            AccessActions.Read, "read outcome responses", ct);
        return TypedResults.Ok(list);
    }

    public static async Task<Results<Ok<CaseChangeDto>, ProblemHttpResult>> Change(
        Guid caseId, CurrentUser user, CaseAccess access, ResponseStore responses, AccessLog accessLog, IOptions<OutcomesOptions> options, CancellationToken ct)
    {
        if (!await access.CanSee(caseId, user, ct))
        {
            return ApiGroups.CaseNotFound(caseId);
        }
        var list = await responses.ForCase(caseId, ct);
        await accessLog.WriteMany(user, [AccessSubject.Case(caseId), .. list.Select(r => new AccessSubject(caseId, r.PersonId))],
            AccessActions.Read, "read outcome change", ct);
        return TypedResults.Ok(new CaseChangeDto(caseId, PersonChanges.From(list, options.Value)));
    }
}
