using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.Access;
using Samskaping.Coordination.Sectors;
using Samskaping.ServiceDefaults;

namespace Samskaping.Coordination.Groups;

public static class GroupsApi
{
    public static void MapGroupEndpoints(this IEndpointRouteBuilder app)
    {
        var groups = app.MapApiGroup("/api/coordination/cases", "Coordination groups", Policies.SectorStaff);

        groups.MapGet("/{caseId:guid}", GetGroup)
            .WithName("GetCoordinationGroup")
            .WithSummary("Who works on a case: participating sectors and the lead coordinator")
            .WithDescription("Only for workers whose sector takes part in the case under a valid consent, or for the lead coordinator; otherwise 404. The read is access-logged.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        groups.MapPost("/{caseId:guid}/sectors", JoinSector)
            .RequireAuthorization(Policies.CaseWorker)
            .WithName("JoinSector")
            .WithSummary("Add a sector to the case's coordination group as contributor")
            .WithDescription("By a worker of a participating sector or the lead coordinator. The case's consent must cover the sector (409 otherwise); "
                + "an unknown sector is 422; a sector that takes part already is 409. Publishes SectorJoinedCase.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        groups.MapDelete("/{caseId:guid}/sectors/{sector:maxlength(40)}", LeaveSector)
            .RequireAuthorization(Policies.CaseWorker)
            .WithName("LeaveSector")
            .WithSummary("Remove a sector from the case's coordination group")
            .WithDescription("By a worker of that sector or the lead coordinator. The lead coordinator's sector cannot leave (409): hand the lead over first. "
                + "The sector loses access to the case. Publishes SectorLeftCase.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    public static async Task<Results<Ok<CoordinationGroup>, ProblemHttpResult>> GetGroup(
        Guid caseId, CurrentUser user, GroupStore store, CaseAccess access, AccessLog accessLog, CancellationToken ct)
    {
        var group = await access.CanSee(caseId, user, ct) ? await store.Find(caseId, ct) : null;
        if (group is null)
        {
            return ApiGroups.CaseNotFound(caseId, "Coordination group");
        }
        await accessLog.Write(user, caseId, null, AccessActions.Read, "read coordination group", ct);
        return TypedResults.Ok(group);
    }

    public static async Task<Results<Created<GroupSector>, ValidationProblem, ProblemHttpResult>> JoinSector(
        Guid caseId, JoinSector request, CurrentUser user, GroupStore store, SectorStore sectors, CaseAccess access, CancellationToken ct)
    {
        var (sector, errors) = GroupStore.Validate(request);
        if (sector is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The sector could not join.");
        }
        if (!await access.CanSee(caseId, user, ct))
        {
            return ApiGroups.CaseNotFound(caseId, "Coordination group");
        }
        if (!await sectors.Exists(sector, ct))
        {
            return SectorStore.Unknown("sector", sector).ToProblem();
        }
        var joined = await store.Join(caseId, sector, user, ct);
        return joined.Refusal is { } refusal
            ? refusal.ToProblem()
            : TypedResults.Created($"/api/coordination/cases/{caseId}", joined.Value);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> LeaveSector(
        Guid caseId, [Description("The code of the sector that leaves, like 'helse-velferd'.")] string sector, CurrentUser user, GroupStore store, CaseAccess access, CancellationToken ct)
    {
        if (!await access.CanSee(caseId, user, ct))
        {
            return ApiGroups.CaseNotFound(caseId, "Coordination group");
        }
        var left = await store.Leave(caseId, sector, user, ct);
        return left.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.NoContent();
    }
}
