using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Samskaping.Access;
using Samskaping.Coordination.Sectors;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Coordination.Leads;

public static class LeadsApi
{
    public static void MapLeadEndpoints(this IEndpointRouteBuilder app)
    {
        var cases = app.MapApiGroup("/api/coordination/cases/{caseId:guid}", "Lead coordinator", Policies.SectorStaff);
        var reads = cases.MapGroup("").RequireCaseAccess(what: "Coordination group");
        var handovers = cases.MapGroup("/handovers").RequireAuthorization(Policies.CaseWorker);

        reads.MapGet("/leads", GetLeads)
            .WithName("GetLeadHistory")
            .WithSummary("Who was lead coordinator (stafettholder) of the case, and when")
            .WithDescription("The full history; the current lead has no 'until'. Access-logged.");

        reads.MapGet("/handovers", GetHandovers)
            .WithName("GetHandovers")
            .WithSummary("The case's handover requests and what became of them")
            .WithDescription("Access-logged.");

        handovers.MapPost("", RequestHandover)
            .RequireCaseAccess(what: "Coordination group")
            .WithName("RequestHandover")
            .WithSummary("Ask another person to take over as lead coordinator")
            .WithDescription("Only the current lead (403 otherwise). The receiver's sector must take part in the case (409), and only one handover "
                + "can wait at a time (409, held by the database). The current lead stays responsible until the receiver accepts. "
                + "Publishes CoordinatorHandoverRequested.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);

        // The receiver answers under their own rule (ReceiverCheck), not the case-access filter: they may answer
        // before their sector's access tables have caught up with the case.
        handovers.MapPost("/{handoverId:guid}/accept", AcceptHandover)
            .WithName("AcceptHandover")
            .WithSummary("Accept a handover: the caller becomes lead coordinator")
            .WithDescription("Only the receiving person, signed in with the receiving sector (403 otherwise). Closes the old lead period and opens "
                + "the new one in one transaction; a handover that is not waiting any more is 409. Publishes CoordinatorAssigned.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        handovers.MapPost("/{handoverId:guid}/decline", DeclineHandover)
            .WithName("DeclineHandover")
            .WithSummary("Decline a handover, with a reason")
            .WithDescription("Only the receiving person (403 otherwise). The current lead stays responsible.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        handovers.MapPost("/{handoverId:guid}/cancel", CancelHandover)
            .RequireCaseAccess("handoverId", LeadStore.CaseOfHandover, HandoverNotFound)
            .WithName("CancelHandover")
            .WithSummary("Withdraw a waiting handover request")
            .WithDescription("Only the lead coordinator who asked (403 otherwise).")
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    public static async Task<Results<Ok<IReadOnlyList<LeadPeriod>>, ProblemHttpResult>> GetLeads(
        Guid caseId, CurrentUser user, AccessLog accessLog, DbSession db, CancellationToken ct)
    {
        var connection = await db.Connection(ct);
        await accessLog.Write(user, caseId, null, AccessActions.Read, "read lead coordinator history", connection, ct);
        return TypedResults.Ok(await LeadStore.History(caseId, connection, ct));
    }

    public static async Task<Results<Ok<IReadOnlyList<Handover>>, ProblemHttpResult>> GetHandovers(
        Guid caseId, CurrentUser user, AccessLog accessLog, DbSession db, CancellationToken ct)
    {
        var connection = await db.Connection(ct);
        await accessLog.Write(user, caseId, null, AccessActions.Read, "read handovers", connection, ct);
        return TypedResults.Ok(await LeadStore.Handovers(caseId, connection, ct));
    }

    public static async Task<Results<Created<Handover>, ProblemHttpResult>> RequestHandover(
        Guid caseId, RequestHandover request, CurrentUser user, LeadStore store, DbSession db, CancellationToken ct)
    {
        var (valid, errors) = HandoverRules.Validate(request);
        if (valid is null)
        {
            return Refusal.Invalid("The handover could not be requested.", errors).ToProblem();
        }
        var connection = await db.Connection(ct);
        if (!await SectorStore.Exists(valid.ToSector!, connection, ct))
        {
            return SectorStore.Unknown("toSector", valid.ToSector!).ToProblem();
        }
        var requested = await store.Request(caseId, valid, user, connection, ct);
        return requested.Refusal is { } refusal
            ? refusal.ToProblem()
            : TypedResults.Created($"/api/coordination/cases/{caseId}/handovers", requested.Value);
    }

    public static async Task<Results<Ok<LeadPeriod>, ProblemHttpResult>> AcceptHandover(
        Guid caseId, Guid handoverId, CurrentUser user, LeadStore store, CaseAccess access, DbSession db, CancellationToken ct)
    {
        var connection = await db.Connection(ct);
        if (await ReceiverCheck(caseId, handoverId, user, access, connection, ct) is { } refused)
        {
            return refused.ToProblem();
        }
        var accepted = await store.Accept(caseId, handoverId, user, connection, ct);
        return accepted.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(accepted.Value);
    }

    public static async Task<Results<Ok<Handover>, ProblemHttpResult>> DeclineHandover(
        Guid caseId, Guid handoverId, DeclineHandover request, CurrentUser user, LeadStore store, CaseAccess access, DbSession db, CancellationToken ct)
    {
        var (reason, errors) = HandoverRules.Validate(request);
        if (reason is null)
        {
            return Refusal.Invalid("The handover could not be declined.", errors).ToProblem();
        }
        var connection = await db.Connection(ct);
        if (await ReceiverCheck(caseId, handoverId, user, access, connection, ct) is { } refused)
        {
            return refused.ToProblem();
        }
        var declined = await store.Decline(caseId, handoverId, reason, user, connection, ct);
        return declined.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(declined.Value);
    }

    public static async Task<Results<Ok<Handover>, ProblemHttpResult>> CancelHandover(
        Guid caseId, Guid handoverId, CurrentUser user, LeadStore store, DbSession db, CancellationToken ct)
    {
        var connection = await db.Connection(ct);
        var handover = await LeadStore.FindHandover(caseId, handoverId, connection, ct);
        if (handover is null)
        {
            return HandoverNotFound(handoverId).ToProblem();
        }
        if (handover.From != user.Subject)
        {
            return Refusal.Forbidden("Only the lead coordinator who asked may cancel the handover.", $"Handover {handoverId} was requested by someone else.").ToProblem();
        }
        var cancelled = await store.Cancel(caseId, handoverId, user, connection, ct);
        return cancelled.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(cancelled.Value);
    }

    // The receiver may answer even before their own sector's access tables caught up; anyone else needs to see the case.
    private static async Task<Refusal?> ReceiverCheck(
        Guid caseId, Guid handoverId, CurrentUser user, CaseAccess access, NpgsqlConnection connection, CancellationToken ct)
    {
        var handover = await LeadStore.FindHandover(caseId, handoverId, connection, ct);
        // Asked even when there is no such handover, so one on a case the caller may not see costs the same as none.
        var sees = await access.CanSee(caseId, user, connection, ct);
        if (handover is null || (handover.To != user.Subject && !sees))
        {
            return HandoverNotFound(handoverId);
        }
        if (handover.To != user.Subject || handover.ToSector != user.Sector)
        {
            return Refusal.Forbidden("Only the receiving person may answer a handover.",
                $"Handover {handoverId} is addressed to someone else (or to them in another sector).");
        }
        return null;
    }

    private static Refusal HandoverNotFound(Guid handoverId) =>
        Refusal.NotFound("Handover not found.", $"There is no handover {handoverId} on a case you take part in.");
}
