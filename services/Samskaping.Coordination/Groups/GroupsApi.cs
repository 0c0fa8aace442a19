using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.Access;
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
            .WithDescription("Only for workers whose sector takes part in the case; otherwise 404. The read is access-logged.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static async Task<Results<Ok<CoordinationGroup>, ProblemHttpResult>> GetGroup(
        Guid caseId, CurrentUser user, GroupStore store, AccessLog accessLog, CancellationToken ct)
    {
        var group = await store.Find(caseId, ct);
        if (group is null || !group.Includes(user.Sector))
        {
            return ApiGroups.CaseNotFound(caseId, "Coordination group");
        }
        await accessLog.Write(user, caseId, null, AccessActions.Read, "read coordination group", ct);
        return TypedResults.Ok(group);
    }
}
