using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.Access;
using Samskaping.ServiceDefaults;

namespace Samskaping.Benefits.Cases;

public static class ReceivedCasesApi
{
    public static void MapReceivedCaseEndpoints(this IEndpointRouteBuilder app)
    {
        var cases = app.MapApiGroup("/api/benefits/cases", "Cases", Policies.SectorStaff);

        cases.MapGet("/{caseId:guid}", GetCase)
            .WithName("GetReceivedCase")
            .WithSummary("When the benefit system's status feed counts the case as received (MOTTATT)")
            .WithDescription("Only for workers whose sector takes part in the case; otherwise 404. The read is access-logged.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static async Task<Results<Ok<ReceivedCase>, ProblemHttpResult>> GetCase(
        Guid caseId, CurrentUser user, CaseAccess access, ReceivedCaseStore store, AccessLog accessLog, CancellationToken ct)
    {
        var found = await access.CanSee(caseId, user, ct) ? await store.Find(caseId, ct) : null;
        if (found is null)
        {
            return ApiGroups.CaseNotFound(caseId);
        }
        await accessLog.Write(user, caseId, null, AccessActions.Read, "read received case", ct);
        return TypedResults.Ok(found);
    }
}
