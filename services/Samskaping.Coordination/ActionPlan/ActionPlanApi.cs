using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.Access;
using Samskaping.Coordination.Sectors;
using Samskaping.ServiceDefaults;

namespace Samskaping.Coordination.ActionPlan;

public static class ActionPlanApi
{
    public static void MapActionPlanEndpoints(this IEndpointRouteBuilder app)
    {
        var plan = app.MapApiGroup("/api/coordination/cases/{caseId:guid}", "Action plan", Policies.SectorStaff)
            .ProducesProblem(StatusCodes.Status404NotFound);

        plan.MapGet("/plan", GetPlan)
            .WithName("GetActionPlan")
            .WithSummary("The case's action plan: goals, measures with evaluations, BTI level and its history")
            .WithDescription("A measure is 'overdue' when its review date passed without an evaluation. Access-logged.");

        plan.MapPost("/measures", AgreeMeasure)
            .RequireAuthorization(Policies.CaseWorker)
            .WithName("AgreeMeasure")
            .WithSummary("Agree a measure (tiltak) with a responsible sector, a period and the next review date")
            .WithDescription("The responsible sector must take part in the case (409); an unknown sector or goal is 422. Publishes MeasureAgreed.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        plan.MapPost("/measures/{measureId:guid}/evaluations", EvaluateMeasure)
            .RequireAuthorization(Policies.CaseWorker)
            .WithName("EvaluateMeasure")
            .WithSummary("Evaluate a measure: did it help (yes, no, partly), in the family's own words; sets the next review date")
            .WithDescription("A completed measure is 409.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        plan.MapPost("/measures/{measureId:guid}/complete", CompleteMeasure)
            .RequireAuthorization(Policies.CaseWorker)
            .WithName("CompleteMeasure")
            .WithSummary("Complete a measure; its reviews end")
            .WithDescription("Completing twice is 409. Publishes MeasureCompleted with the last evaluation's answer (yes → true, no → false, otherwise null).")
            .ProducesProblem(StatusCodes.Status409Conflict);

        plan.MapPut("/bti-level", SetBtiLevel)
            .RequireAuthorization(Policies.CaseWorker)
            .WithName("SetBtiLevel")
            .WithSummary("Set the case's BTI level (0-3) with a reason; the history is kept")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    public static async Task<Results<Ok<CaseActionPlan>, ProblemHttpResult>> GetPlan(
        Guid caseId, CurrentUser user, ActionPlanStore store, CaseAccess access, AccessLog accessLog, CancellationToken ct)
    {
        if (!await access.CanSee(caseId, user, ct))
        {
            return ApiGroups.CaseNotFound(caseId, "Action plan");
        }
        await accessLog.Write(user, caseId, null, AccessActions.Read, "read action plan", ct);
        return TypedResults.Ok(await store.Plan(caseId, ct));
    }

    public static async Task<Results<Created<Measure>, ValidationProblem, ProblemHttpResult>> AgreeMeasure(
        Guid caseId, AgreeMeasure request, CurrentUser user, ActionPlanStore store, SectorStore sectors, CaseAccess access, TimeProvider clock, CancellationToken ct)
    {
        var (valid, errors) = ActionPlanRules.Validate(request, ActionPlanRules.Today(clock));
        if (valid is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The measure could not be agreed.");
        }
        if (!await access.CanSee(caseId, user, ct))
        {
            return ApiGroups.CaseNotFound(caseId, "Action plan");
        }
        if (!await sectors.Exists(valid.ResponsibleSector!, ct))
        {
            return SectorStore.Unknown("responsibleSector", valid.ResponsibleSector!).ToProblem();
        }
        var agreed = await store.Agree(caseId, valid, user, ct);
        return agreed.Refusal is { } refusal
            ? refusal.ToProblem()
            : TypedResults.Created($"/api/coordination/cases/{caseId}/plan", agreed.Value);
    }

    public static async Task<Results<Created<Evaluation>, ValidationProblem, ProblemHttpResult>> EvaluateMeasure(
        Guid caseId, Guid measureId, EvaluateMeasure request, CurrentUser user, ActionPlanStore store, CaseAccess access, TimeProvider clock, CancellationToken ct)
    {
        var (valid, errors) = ActionPlanRules.Validate(request, ActionPlanRules.Today(clock));
        if (valid is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The evaluation could not be recorded.");
        }
        if (!await access.CanSee(caseId, user, ct))
        {
            return ApiGroups.CaseNotFound(caseId, "Action plan");
        }
        var evaluated = await store.Evaluate(caseId, measureId, valid, user, ct);
        return evaluated.Refusal is { } refusal
            ? refusal.ToProblem()
            : TypedResults.Created($"/api/coordination/cases/{caseId}/plan", evaluated.Value);
    }

    public static async Task<Results<Ok<Measure>, ProblemHttpResult>> CompleteMeasure(
        Guid caseId, Guid measureId, CurrentUser user, ActionPlanStore store, CaseAccess access, CancellationToken ct)
    {
        if (!await access.CanSee(caseId, user, ct))
        {
            return ApiGroups.CaseNotFound(caseId, "Action plan");
        }
        var completed = await store.Complete(caseId, measureId, user, ct);
        return completed.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(completed.Value);
    }

    public static async Task<Results<Ok<BtiLevel>, ValidationProblem, ProblemHttpResult>> SetBtiLevel(
        Guid caseId, SetBtiLevel request, CurrentUser user, ActionPlanStore store, CaseAccess access, CancellationToken ct)
    {
        var (valid, errors) = ActionPlanRules.Validate(request);
        if (valid is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The BTI level could not be set.");
        }
        if (!await access.CanSee(caseId, user, ct))
        {
            return ApiGroups.CaseNotFound(caseId, "Action plan");
        }
        var set = await store.SetLevel(caseId, valid, user, ct);
        return set.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(set.Value);
    }
}
