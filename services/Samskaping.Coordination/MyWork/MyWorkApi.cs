using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.Access;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Coordination.MyWork;

public static class MyWorkApi
{
    public static void MapMyWorkEndpoints(this IEndpointRouteBuilder app)
    {
        // A list over many cases: the store's query keeps to the cases the caller may see (CaseAccess.VisiblePredicate).
        app.MapApiGroup("/api/coordination/my-work", "My work", Policies.SectorStaff)
            .MapGet("", GetMyWork)
            .WithName("GetMyWork")
            .WithSummary("What waits for me: handovers to accept, reviews due and overdue, my sector's measures, tasks on cases I lead, appeals waiting for a decision")
            .WithDescription("Only cases the caller may see. Each case listed is access-logged. Appeals on grant decisions are "
                + "learnt from grants' AppealReceived and AppealDecided, and listed until the municipality reverses, forwards or dismisses them.");

        app.MapApiGroup("/api/coordination/cases/{caseId:guid}/tasks", "My work", Policies.CaseWorker)
            .RequireCaseAccess(what: "Coordination group")
            .MapPost("/{taskId:guid}/done", MarkTaskDone)
            .WithName("MarkTaskDone")
            .WithSummary("Mark a lead coordinator's task done")
            .WithDescription("Only the case's lead coordinator (403 otherwise); a task done already is 409.")
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    public static async Task<Ok<MyWorkList>> GetMyWork(CurrentUser user, MyWorkStore store, DbSession db, CancellationToken ct) =>
        TypedResults.Ok(await store.For(user, await db.Connection(ct), ct));

    public static async Task<Results<Ok<CoordinatorTask>, ProblemHttpResult>> MarkTaskDone(
        Guid caseId, Guid taskId, CurrentUser user, MyWorkStore store, DbSession db, CancellationToken ct)
    {
        var done = await store.Done(caseId, taskId, user, await db.Connection(ct), ct);
        return done.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(done.Value);
    }
}
