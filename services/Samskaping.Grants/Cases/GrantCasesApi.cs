using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.Access;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Cases;

public static class GrantCasesApi
{
    public static void MapGrantCaseEndpoints(this IEndpointRouteBuilder app)
    {
        var cases = app.MapApiGroup("/api/grants/cases", "Cases", Policies.SectorStaff);

        cases.MapGet("/{caseId:guid}", GetCase)
            .WithName("GetGrantCase")
            .WithSummary("What the grants service knows of a case")
            .WithDescription("Only for workers whose sector takes part in the case; otherwise 404. The read is access-logged.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static async Task<Results<Ok<GrantCase>, ProblemHttpResult>> GetCase(
        Guid caseId, CurrentUser user, CaseAccess access, GrantCaseStore store, AccessLog accessLog, CancellationToken ct)
    {
        var found = await access.CanSee(caseId, user, ct) ? await store.Find(caseId, ct) : null;
        if (found is null)
        {
            return ApiGroups.CaseNotFound(caseId);
        }
        await accessLog.Write(user, caseId, null, AccessActions.Read, "read grant case", ct);
        return TypedResults.Ok(found);
    }
}
