using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.Access;
using Samskaping.Coordination.Groups;
using Samskaping.Coordination.Sectors;
using Samskaping.ServiceDefaults;

namespace Samskaping.Coordination.Leads;

public static class LeadsApi
{
    public static void MapLeadEndpoints(this IEndpointRouteBuilder app)
    {
        var cases = app.MapApiGroup("/api/coordination/cases/{caseId:guid}", "Lead coordinator", Policies.SectorStaff)
            .ProducesProblem(StatusCodes.Status404NotFound);

        cases.MapGet("/leads", GetLeads)
            .WithName("GetLeadHistory")
            .WithSummary("Who was lead coordinator (stafettholder) of the case, and when")
            .WithDescription("The full history; the current lead has no 'until'. Access-logged.");

        cases.MapGet("/handovers", GetHandovers)
            .WithName("GetHandovers")
            .WithSummary("The case's handover requests and what became of them")
            .WithDescription("Access-logged.");

        cases.MapPost("/handovers", RequestHandover)
            .RequireAuthorization(Policies.CaseWorker)
            .WithName("RequestHandover")
            .WithSummary("Ask another person to take over as lead coordinator")
            .WithDescription("Only the current lead (403 otherwise). The receiver's sector must take part in the case (409), and only one handover "
                + "can wait at a time (409, held by the database). The current lead stays responsible until the receiver accepts. "
                + "Publishes CoordinatorHandoverRequested.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        cases.MapPost("/handovers/{handoverId:guid}/accept", AcceptHandover)
            .RequireAuthorization(Policies.CaseWorker)
            .WithName("AcceptHandover")
            .WithSummary("Accept a handover: the caller becomes lead coordinator")
            .WithDescription("Only the receiving person, signed in with the receiving sector (403 otherwise). Closes the old lead period and opens "
                + "the new one in one transaction; a handover that is not waiting any more is 409. Publishes CoordinatorAssigned.")
            .ProducesProblem(StatusCodes.Status409Conflict);

        cases.MapPost("/handovers/{handoverId:guid}/decline", DeclineHandover)
            .RequireAuthorization(Policies.CaseWorker)
            .WithName("DeclineHandover")
            .WithSummary("Decline a handover, with a reason")
            .WithDescription("Only the receiving person (403 otherwise). The current lead stays responsible.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        cases.MapPost("/handovers/{handoverId:guid}/cancel", CancelHandover)
            .RequireAuthorization(Policies.CaseWorker)
            .WithName("CancelHandover")
            .WithSummary("Withdraw a waiting handover request")
            .WithDescription("Only the lead coordinator who asked (403 otherwise).")
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    public static async Task<Results<Ok<IReadOnlyList<LeadPeriod>>, ProblemHttpResult>> GetLeads(
        Guid caseId, CurrentUser user, LeadStore store, CaseAccess access, AccessLog accessLog, CancellationToken ct)
    {
        if (!await access.CanSee(caseId, user, ct))
        {
            return ApiGroups.CaseNotFound(caseId, "Coordination group");
        }
        await accessLog.Write(user, caseId, null, AccessActions.Read, "read lead coordinator history", ct);
        return TypedResults.Ok(await store.History(caseId, ct));
    }

    public static async Task<Results<Ok<IReadOnlyList<Handover>>, ProblemHttpResult>> GetHandovers(
        Guid caseId, CurrentUser user, LeadStore store, CaseAccess access, AccessLog accessLog, CancellationToken ct)
    {
        if (!await access.CanSee(caseId, user, ct))
        {
            return ApiGroups.CaseNotFound(caseId, "Coordination group");
        }
        await accessLog.Write(user, caseId, null, AccessActions.Read, "read handovers", ct);
        return TypedResults.Ok(await store.Handovers(caseId, ct));
    }

    public static async Task<Results<Created<Handover>, ValidationProblem, ProblemHttpResult>> RequestHandover(
        Guid caseId, RequestHandover request, CurrentUser user, LeadStore store, SectorStore sectors, CaseAccess access, CancellationToken ct)
    {
        var (valid, errors) = HandoverRules.Validate(request);
        if (valid is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The handover could not be requested.");
        }
        if (!await access.CanSee(caseId, user, ct))
        {
            return ApiGroups.CaseNotFound(caseId, "Coordination group");
        }
        if (!await sectors.Exists(valid.ToSector!, ct))
        {
            return SectorStore.Unknown("toSector", valid.ToSector!).ToProblem();
        }
        var requested = await store.Request(caseId, valid, user, ct);
        return requested.Refusal is { } refusal
            ? refusal.ToProblem()
            : TypedResults.Created($"/api/coordination/cases/{caseId}/handovers", requested.Value);
    }

    public static async Task<Results<Ok<LeadPeriod>, ProblemHttpResult>> AcceptHandover(
        Guid caseId, Guid handoverId, CurrentUser user, LeadStore store, CaseAccess access, CancellationToken ct)
    {
        if (await ReceiverCheck(caseId, handoverId, user, store, access, ct) is { } refused)
        {
            return refused;
        }
        var accepted = await store.Accept(caseId, handoverId, user, ct);
        return accepted.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(accepted.Value);
    }

    public static async Task<Results<Ok<Handover>, ValidationProblem, ProblemHttpResult>> DeclineHandover(
        Guid caseId, Guid handoverId, DeclineHandover request, CurrentUser user, LeadStore store, CaseAccess access, CancellationToken ct)
    {
        var (reason, errors) = HandoverRules.Validate(request);
        if (reason is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The handover could not be declined.");
        }
        if (await ReceiverCheck(caseId, handoverId, user, store, access, ct) is { } refused)
        {
            return refused;
        }
        var declined = await store.Decline(caseId, handoverId, reason, user, ct);
        return declined.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(declined.Value);
    }

    public static async Task<Results<Ok<Handover>, ProblemHttpResult>> CancelHandover(
        Guid caseId, Guid handoverId, CurrentUser user, LeadStore store, CaseAccess access, CancellationToken ct)
    {
        var handover = await access.CanSee(caseId, user, ct) ? await store.FindHandover(caseId, handoverId, ct) : null;
        if (handover is null)
        {
            return HandoverNotFound(handoverId);
        }
        if (handover.From != user.Subject)
        {
            return Refusal.Forbidden("Only the lead coordinator who asked may cancel the handover.", $"Handover {handoverId} was requested by someone else.").ToProblem();
        }
        var cancelled = await store.Cancel(caseId, handoverId, user, ct);
        return cancelled.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(cancelled.Value);
    }

    // The receiver may answer even before their own sector's access tables caught up; anyone else needs to see the case.
    private static async Task<ProblemHttpResult?> ReceiverCheck(
        Guid caseId, Guid handoverId, CurrentUser user, LeadStore store, CaseAccess access, CancellationToken ct)
    {
        var handover = await store.FindHandover(caseId, handoverId, ct);
        // Asked even when there is no such handover, so one on a case the caller may not see costs the same as none.
        var sees = await access.CanSee(caseId, user, ct);
        if (handover is null || (handover.To != user.Subject && !sees))
        {
            return HandoverNotFound(handoverId);
        }
        if (handover.To != user.Subject || handover.ToSector != user.Sector)
        {
            return Refusal.Forbidden("Only the receiving person may answer a handover.",
                $"Handover {handoverId} is addressed to someone else (or to them in another sector).").ToProblem();
        }
        return null;
    }

    private static ProblemHttpResult HandoverNotFound(Guid handoverId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Handover not found.",
            detail: $"There is no handover {handoverId} on a case you take part in.");
}
