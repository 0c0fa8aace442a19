using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Samskaping.Cases.AccessHistory;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Citizens;

/// <summary>
/// The family answers the scheduled questionnaires for itself (docs/architecture.md §8): the person for themselves
/// (respondent <c>self</c>), an adult also for a child under 15 in their care (<c>guardian</c>). The relation rule
/// decides who the citizen may answer for and as whom; the outcomes service holds the measurements and checks and
/// stores the answers as it does a worker's, and logs each read and write as the citizen's own.
/// </summary>
public static class CitizenAnswersApi
{
    private const string Outcomes = "outcomes";

    public static void MapCitizenAnswerEndpoints(this IEndpointRouteBuilder app)
    {
        var citizen = app.MapApiGroup("/api/cases/citizen", "Citizens", Policies.Citizen);

        citizen.MapGet("/cases/{caseId:guid}/measurements", List)
            .RequireCitizenRelation()
            .WithName("GetCitizenMeasurements")
            .WithSummary("The questionnaires the citizen can answer in a case, for themselves and the children in their care")
            .WithDescription("Every measurement that is open (or answered), with, for each record the relation rule gives the citizen in the case, " +
                "as whom they answer (self, or guardian for a child under 15) and when it was answered. 503 naming the outcomes service when it " +
                "could not answer. Access-logged by outcomes as the citizen's own read.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        citizen.MapGet("/cases/{caseId:guid}/measurements/{measurementId:guid}", Get)
            .RequireCitizenRelation()
            .WithName("GetCitizenQuestionnaire")
            .WithSummary("One measurement's questionnaire: the questions in bokmål, their scales, and which are on sensitive domains")
            .WithDescription("404 for a measurement that is not the case's. open is false when it takes no answers now (not yet open, or " +
                "cancelled). Access-logged by outcomes.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        citizen.MapPost("/cases/{caseId:guid}/measurements/{measurementId:guid}/responses", Answer)
            .RequireCitizenRelation()
            .WithName("RecordCitizenResponse")
            .WithSummary("Send the citizen's answers, for themselves or a child under 15 in their care")
            .WithDescription("The person answered for and the respondent kind come from the relation rule, never from the body: personId picks " +
                "one of the records the citizen reaches in the case (needed only when there are several). shareWithLead is the person's choice " +
                "to signal a negative effect to the lead coordinator. Checked as a worker's response: 422 naming the item (answers.{itemId}), " +
                "409 when already answered (a response is never overwritten) or not open. Staff who read the responses do not see the " +
                "answers on the sensitive domains. Access-logged by outcomes.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    public static async Task<Results<Ok<CitizenMeasurementsDto>, ProblemHttpResult>> List(
        Guid caseId, CitizenCase visible, CitizenToken citizen, AccessLogSourceClient outcomes, CancellationToken ct)
    {
        var (answer, problem, failure) = await outcomes.Relay<OutcomesCitizenQuery, OutcomesMeasurementList>(
            Outcomes, "citizen/measurements", new OutcomesCitizenQuery(caseId, null, People(visible), citizen.Subject), ct);
        if (answer is null)
        {
            return Unavailable(problem, failure);
        }
        return TypedResults.Ok(new CitizenMeasurementsDto([.. answer.Measurements.Select(m => Describe(m, visible))]));
    }

    public static async Task<Results<Ok<CitizenQuestionnaireDto>, ProblemHttpResult>> Get(
        Guid caseId, Guid measurementId, CitizenCase visible, CitizenToken citizen, AccessLogSourceClient outcomes, CancellationToken ct)
    {
        var (answer, problem, failure) = await outcomes.Relay<OutcomesCitizenQuery, OutcomesQuestionnaire>(
            Outcomes, "citizen/measurement", new OutcomesCitizenQuery(caseId, measurementId, People(visible), citizen.Subject), ct);
        if (answer is null)
        {
            return Unavailable(problem, failure);
        }
        return TypedResults.Ok(new CitizenQuestionnaireDto(Describe(answer.Measurement, visible), answer.InstrumentId, answer.InstrumentVersion,
            answer.Name, answer.Closed is null, answer.Items));
    }

    public static async Task<Results<Created<CitizenRecordedDto>, ProblemHttpResult>> Answer(
        Guid caseId, Guid measurementId, [FromBody] CitizenResponseDto? body, CitizenCase visible, CitizenToken citizen,
        AccessLogSourceClient outcomes, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (body is null)
        {
            errors.Unreadable("body", "A JSON object with shareWithLead and answers is required.");
            return Refusal.Invalid("The answers could not be read.", errors).ToProblem();
        }
        var people = People(visible);
        var person = body.PersonId is { } chosen ? people.FirstOrDefault(p => p.PersonId == chosen) : people.Count == 1 ? people[0] : null;
        if (person is null)
        {
            errors.Add("personId", body.PersonId is null
                ? "Required: you answer for more than one person in this case; say whom (the personId the measurements list gives)."
                : "Not someone you can answer for in this case.");
        }
        if (body.ShareWithLead is null)
        {
            errors.Add("shareWithLead", "Required: whether to share a negative effect with the lead coordinator (true or false).");
        }
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The answers are incomplete.", errors).ToProblem();
        }
        var (recorded, problem, failure) = await outcomes.Relay<OutcomesCitizenResponse, OutcomesRecorded>(Outcomes, "citizen/responses",
            new OutcomesCitizenResponse(caseId, measurementId, person!, body.ShareWithLead!.Value, body.Answers ?? [], citizen.Subject), ct);
        if (recorded is null)
        {
            return Unavailable(problem, failure);
        }
        return TypedResults.Created($"/api/cases/citizen/cases/{caseId}/measurements/{measurementId}",
            new CitizenRecordedDto(recorded.Id, recorded.MeasurementId, recorded.PersonId, recorded.RespondentKind, recorded.Partial,
                recorded.SharedWithLead ?? false, recorded.RecordedAt));
    }

    /// <summary>The records the citizen reaches in the case, each answered for as the relation gives: themselves, or a child as guardian.</summary>
    private static List<OutcomesRespondent> People(CitizenCase visible) =>
        [.. visible.Reached.Through.Select(t => new OutcomesRespondent(t.PersonId, t.Relation == Relations.Self ? "self" : "guardian"))];

    private static CitizenMeasurementDto Describe(OutcomesMeasurement m, CitizenCase visible)
    {
        var names = visible.Reached.Through.ToDictionary(t => t.PersonId);
        return new CitizenMeasurementDto(m.Id, m.Kind, m.OffsetMonths, m.Status, m.DueAt, m.OpensAt,
            [.. m.People.Where(p => names.ContainsKey(p.PersonId)).Select(p => new CitizenRespondentDto(p.PersonId,
                CitizenWhoseDto.FirstNameOf(names[p.PersonId].Name), names[p.PersonId].Relation, p.Respondent, p.AnsweredAt))]);
    }

    /// <summary>The outcomes service's refusal, passed on as it is (its fields name the item); or 503 naming the service.</summary>
    private static ProblemHttpResult Unavailable(HttpValidationProblemDetails? problem, string? failure) =>
        problem is not null
            ? new Refusal(problem.Status ?? StatusCodes.Status422UnprocessableEntity, problem.Title ?? "Refused.", problem.Detail ?? "",
                problem.Errors.Count == 0 ? null : problem.Errors).ToProblem()
            : TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The questionnaires can not be reached right now.",
                detail: $"The outcomes service did not answer ({failure}). Try again later.",
                extensions: new Dictionary<string, object?> { ["unavailable"] = new[] { Outcomes } });
}
