using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.Access;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Benefits.Cases;

public static class ReceivedCasesApi
{
    public static void MapReceivedCaseEndpoints(this IEndpointRouteBuilder app)
    {
        var cases = app.MapApiGroup("/api/benefits/cases", "Cases", Policies.SectorStaff).RequireCaseAccess();

        cases.MapGet("/{caseId:guid}", GetCase)
            .WithName("GetReceivedCase")
            .WithSummary("When the benefit system's status feed counts the case as received (MOTTATT)")
            .WithDescription("Only for workers whose sector takes part in the case; otherwise 404. The read is access-logged.");
    }

    public static async Task<Results<Ok<ReceivedCase>, ProblemHttpResult>> GetCase(
        Guid caseId, CurrentUser user, DbSession db, AccessLog accessLog, CancellationToken ct)
    {
        var connection = await db.Connection(ct);
        if (await ReceivedCaseStore.Find(caseId, connection, ct) is not { } found)
        {
            return Refusal.CaseNotFound(caseId).ToProblem();
        }
        await accessLog.Write(user, caseId, null, AccessActions.Read, "read received case", connection, ct);
        return TypedResults.Ok(found);
    }
}
