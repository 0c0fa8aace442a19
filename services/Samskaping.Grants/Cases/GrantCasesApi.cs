using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.Access;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Cases;

public static class GrantCasesApi
{
    public static void MapGrantCaseEndpoints(this IEndpointRouteBuilder app)
    {
        var cases = app.MapApiGroup("/api/grants/cases/{caseId:guid}", "Cases", Policies.SectorStaff).RequireCaseAccess();

        cases.MapGet("", GetCase)
            .WithName("GetGrantCase")
            .WithSummary("What the grants service knows of a case, and its grants")
            .WithDescription("Only for workers whose sector takes part in the case; otherwise 404. The read is access-logged.");
    }

    public static async Task<Results<Ok<GrantCaseView>, ProblemHttpResult>> GetCase(
        Guid caseId, CurrentUser user, GrantCaseStore store, DbSession session, CancellationToken ct) =>
        await store.Read(await session.Connection(ct), caseId, user, ct) is { } found
            ? TypedResults.Ok(found)
            : Refusal.CaseNotFound(caseId).ToProblem();
}
