using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.Access;
using Samskaping.Coordination.Sectors;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Coordination.ActionPlan;

public static class ActionPlanApi
{
    public static void MapActionPlanEndpoints(this IEndpointRouteBuilder app)
    {
        var plan = app.MapApiGroup("/api/coordination/cases/{caseId:guid}", "Action plan", Policies.SectorStaff)
            .RequireCaseAccess(what: "Action plan");
        var changes = plan.MapGroup("").RequireAuthorization(Policies.CaseWorker);

        plan.MapGet("/plan", GetPlan)
            .WithName("GetActionPlan")
            .WithSummary("The case's action plan: goals, measures with evaluations, BTI level and its history")
            .WithDescription("A measure is 'overdue' when its review date passed without an evaluation. Access-logged.");

        changes.MapPost("/measures", AgreeMeasure)
            .WithName("AgreeMeasure")
            .WithSummary("Agree a measure (tiltak) with a responsible sector, a period and the next review date")
            .WithDescription("The responsible sector must take part in the case (409); an unknown sector or goal is 422. Publishes MeasureAgreed.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);

        changes.MapPost("/measures/{measureId:guid}/evaluations", EvaluateMeasure)
            .WithName("EvaluateMeasure")
            .WithSummary("Evaluate a measure: did it help (yes, no, partly), in the family's own words; sets the next review date")
            .WithDescription("A completed measure is 409.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);

        changes.MapPost("/measures/{measureId:guid}/complete", CompleteMeasure)
            .WithName("CompleteMeasure")
            .WithSummary("Complete a measure; its reviews end")
            .WithDescription("Completing twice is 409. Publishes MeasureCompleted with the last evaluation's answer (yes → true, no → false, otherwise null).")
            .ProducesProblem(StatusCodes.Status409Conflict);

        changes.MapPut("/bti-level", SetBtiLevel)
            .WithName("SetBtiLevel")
            .WithSummary("Set the case's BTI level (0-3) with a reason; the history is kept")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    public static async Task<Ok<CaseActionPlan>> GetPlan(Guid caseId, CurrentUser user, AccessLog accessLog, DbSession db, CancellationToken ct)
    {
        var connection = await db.Connection(ct);
        await accessLog.Write(user, caseId, null, AccessActions.Read, "read action plan", connection, ct);
        return TypedResults.Ok(await ActionPlanStore.Plan(caseId, connection, ct));
    }

    public static async Task<Results<Created<Measure>, ProblemHttpResult>> AgreeMeasure(
        Guid caseId, AgreeMeasure request, CurrentUser user, ActionPlanStore store, DbSession db, TimeProvider clock, CancellationToken ct)
    {
        var (valid, errors) = ActionPlanRules.Validate(request, ActionPlanRules.Today(clock));
        if (valid is null)
        {
            return Refusal.Invalid("The measure could not be agreed.", errors).ToProblem();
        }
        var connection = await db.Connection(ct);
        if (!await SectorStore.Exists(valid.ResponsibleSector!, connection, ct))
        {
            return SectorStore.Unknown("responsibleSector", valid.ResponsibleSector!).ToProblem();
        }
        var agreed = await store.Agree(caseId, valid, user, connection, ct);
        return agreed.Refusal is { } refusal
            ? refusal.ToProblem()
            : TypedResults.Created($"/api/coordination/cases/{caseId}/plan", agreed.Value);
    }

    public static async Task<Results<Created<Evaluation>, ProblemHttpResult>> EvaluateMeasure(
        Guid caseId, Guid measureId, EvaluateMeasure request, CurrentUser user, ActionPlanStore store, DbSession db, TimeProvider clock, CancellationToken ct)
    {
        var (valid, errors) = ActionPlanRules.Validate(request, ActionPlanRules.Today(clock));
        if (valid is null)
        {
            return Refusal.Invalid("The evaluation could not be recorded.", errors).ToProblem();
        }
        var evaluated = await store.Evaluate(caseId, measureId, valid, user, await db.Connection(ct), ct);
        return evaluated.Refusal is { } refusal
            ? refusal.ToProblem()
            : TypedResults.Created($"/api/coordination/cases/{caseId}/plan", evaluated.Value);
    }

    public static async Task<Results<Ok<Measure>, ProblemHttpResult>> CompleteMeasure(
        Guid caseId, Guid measureId, CurrentUser user, ActionPlanStore store, DbSession db, CancellationToken ct)
    {
        var completed = await store.Complete(caseId, measureId, user, await db.Connection(ct), ct);
        return completed.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(completed.Value);
    }

    public static async Task<Results<Ok<BtiLevel>, ProblemHttpResult>> SetBtiLevel(
        Guid caseId, SetBtiLevel request, CurrentUser user, ActionPlanStore store, DbSession db, CancellationToken ct)
    {
        var (valid, errors) = ActionPlanRules.Validate(request);
        if (valid is null)
        {
            return Refusal.Invalid("The BTI level could not be set.", errors).ToProblem();
        }
        var set = await store.SetLevel(caseId, valid, user, await db.Connection(ct), ct);
        return set.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(set.Value);
    }
}
