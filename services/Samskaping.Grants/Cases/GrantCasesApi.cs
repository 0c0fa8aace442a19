using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.Access;
using Samskaping.Grants.Requests;
using Samskaping.ServiceDefaults;

namespace Samskaping.Grants.Cases;

/// <summary>A case as grants knows it, with its grants.</summary>
public sealed record GrantCaseView(
    Guid CaseId, string OpenedBySector, DateTimeOffset OpenedAt, DateTimeOffset RecordedAt, Guid HouseholdId, DateTimeOffset? ClosedAt,
    IReadOnlyList<GrantView> Grants);

public static class GrantCasesApi
{
    public static void MapGrantCaseEndpoints(this IEndpointRouteBuilder app)
    {
        var cases = app.MapApiGroup("/api/grants/cases", "Cases", Policies.SectorStaff);

        cases.MapGet("/{caseId:guid}", GetCase)
            .WithName("GetGrantCase")
            .WithSummary("What the grants service knows of a case, and its grants")
            .WithDescription("Only for workers whose sector takes part in the case; otherwise 404. The read is access-logged.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static async Task<Results<Ok<GrantCaseView>, ProblemHttpResult>> GetCase(
        Guid caseId, CurrentUser user, CaseAccess access, GrantCaseStore store, GrantStore grants, AccessLog accessLog, CancellationToken ct)
    {
        var found = await access.CanSee(caseId, user, ct) ? await store.Find(caseId, ct) : null;
        if (found is null)
        {
            return ApiGroups.CaseNotFound(caseId);
        }
        await accessLog.Write(user, caseId, null, AccessActions.Read, "read grant case", ct);
        return TypedResults.Ok(new GrantCaseView(found.CaseId, found.OpenedBySector, found.OpenedAt, found.RecordedAt,
            found.HouseholdId ?? found.CaseId, found.ClosedAt, await grants.ForCase(caseId, ct)));
    }
}
