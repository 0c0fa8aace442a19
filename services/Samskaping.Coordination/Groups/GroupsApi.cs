using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.Access;
using Samskaping.Coordination.Sectors;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Coordination.Groups;

public static class GroupsApi
{
    public static void MapGroupEndpoints(this IEndpointRouteBuilder app)
    {
        var groups = app.MapApiGroup("/api/coordination/cases/{caseId:guid}", "Coordination groups", Policies.SectorStaff)
            .RequireCaseAccess(what: "Coordination group");
        var changes = groups.MapGroup("").RequireAuthorization(Policies.CaseWorker);

        groups.MapGet("", GetGroup)
            .WithName("GetCoordinationGroup")
            .WithSummary("Who works on a case: participating sectors and the lead coordinator")
            .WithDescription("Only for workers whose sector takes part in the case under a valid consent, or for the lead coordinator; otherwise 404. The read is access-logged.");

        changes.MapPost("/sectors", JoinSector)
            .WithName("JoinSector")
            .WithSummary("Add a sector to the case's coordination group as contributor")
            .WithDescription("By a worker of a participating sector or the lead coordinator. The case's consent must cover the sector (409 otherwise); "
                + "an unknown sector is 422; a sector that takes part already is 409. Publishes SectorJoinedCase.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);

        changes.MapDelete("/sectors/{sector:maxlength(40)}", LeaveSector)
            .WithName("LeaveSector")
            .WithSummary("Remove a sector from the case's coordination group")
            .WithDescription("By a worker of that sector or the lead coordinator. The lead coordinator's sector cannot leave (409): hand the lead over first. "
                + "The sector loses access to the case. Publishes SectorLeftCase.")
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    public static async Task<Results<Ok<CoordinationGroup>, ProblemHttpResult>> GetGroup(
        Guid caseId, CurrentUser user, AccessLog accessLog, DbSession db, CancellationToken ct)
    {
        var connection = await db.Connection(ct);
        var group = await GroupStore.Find(caseId, connection, ct);
        if (group is null)
        {
            return GroupLock.NotFound(caseId).ToProblem();
        }
        await accessLog.Write(user, caseId, null, AccessActions.Read, "read coordination group", connection, ct);
        return TypedResults.Ok(group);
    }

    public static async Task<Results<Created<GroupSector>, ProblemHttpResult>> JoinSector(
        Guid caseId, JoinSector request, CurrentUser user, GroupStore store, DbSession db, CancellationToken ct)
    {
        var (sector, errors) = GroupStore.Validate(request);
        if (sector is null)
        {
            return Refusal.Invalid("The sector could not join.", errors).ToProblem();
        }
        var connection = await db.Connection(ct);
        if (!await SectorStore.Exists(sector, connection, ct))
        {
            return SectorStore.Unknown("sector", sector).ToProblem();
        }
        var joined = await store.Join(caseId, sector, user, connection, ct);
        return joined.Refusal is { } refusal
            ? refusal.ToProblem()
            : TypedResults.Created($"/api/coordination/cases/{caseId}", joined.Value);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> LeaveSector(
        Guid caseId, [Description("The code of the sector that leaves, like 'helse-velferd'.")] string sector, CurrentUser user, GroupStore store,
        DbSession db, CancellationToken ct)
    {
        var left = await store.Leave(caseId, sector, user, await db.Connection(ct), ct);
        return left.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.NoContent();
    }
}
