using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.Access;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Benefits.Feed;

public static class FeedApi
{
    public static void MapStatusFeedEndpoints(this IEndpointRouteBuilder app)
    {
        var cases = app.MapApiGroup("/api/benefits/cases", "Status feed", Policies.SectorStaff).RequireCaseAccess(what: "Status feed");
        cases.MapGet("/{caseId:guid}/feed", GetCaseFeed)
            .WithName("GetCaseStatusFeed")
            .WithSummary("The case's Digisos status document and how far its delivery to the benefit system has come")
            .WithDescription(
                "The current digisos-soker document (the complete history the benefit system shows the family), its version, " +
                "the last version the benefit system accepted, the delivery state (pending, waiting-for-applicant, delivered, " +
                "invalid, refused), attempts, the next attempt, the last error and, for an invalid document, NAV's schema errors. " +
                "Only for workers whose sector takes part in the case; otherwise 404, also when the case has no grant reported " +
                "to the benefit system. The document holds names and account numbers: the read is access-logged.");

        var feeds = app.MapApiGroup("/api/benefits/feeds", "Status feed", Policies.Admin);
        feeds.MapGet("", ListFeeds)
            .WithName("ListStatusFeeds")
            .WithSummary("Status feeds by delivery state, for operators (admins)")
            .WithDescription(
                "Surfaces feeds that need attention: state=invalid (our document fails NAV's schema), refused (the benefit " +
                "system said no), waiting-for-applicant, or pending with many attempts (stuck). Without a state, every feed, " +
                "most attempts first. No documents and no personal data: case ids, versions, states and errors only. " +
                "An unknown state or a limit outside 1 to 1000 is 422 naming it.")
            .ProducesInvalid();
    }

    public static async Task<Results<Ok<CaseFeed>, ProblemHttpResult>> GetCaseFeed(
        Guid caseId, CurrentUser user, DbSession db, AccessLog accessLog, CancellationToken ct)
    {
        var connection = await db.Connection(ct);
        if (await FeedStore.Find(caseId, connection, ct) is not { } feed)
        {
            return Refusal.CaseNotFound(caseId, "Status feed").ToProblem();
        }
        await accessLog.Write(user, caseId, null, AccessActions.Read, "read the case's status feed to the benefit system", connection, ct);
        return TypedResults.Ok(feed);
    }

    public static async Task<Results<Ok<IReadOnlyList<FeedSummary>>, ProblemHttpResult>> ListFeeds(
        [Description("Only feeds in this delivery state."), AllowedValues(FeedStates.Pending, FeedStates.WaitingForApplicant, FeedStates.Delivered, FeedStates.Invalid, FeedStates.Refused)] string? state,
        [Description("At most this many feeds, 1 to 1000 (default 100)."), Range(1, 1000)] int? limit,
        CurrentUser user,
        DbSession db,
        AccessLog accessLog,
        CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (state is not null && !FeedStates.All.Contains(state))
        {
            errors.Add("state", $"Must be one of: {string.Join(", ", FeedStates.All)}.");
        }
        if (limit is < 1 or > 1000)
        {
            errors.Add("limit", "Must be between 1 and 1000.");
        }
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The feeds could not be listed.", errors).ToProblem();
        }
        var connection = await db.Connection(ct);
        var feeds = await FeedStore.List(state, limit ?? 100, connection, ct);
        // No documents, but each listed case id says that family has money reported to the benefit system.
        await accessLog.WriteMany(user, feeds.Select(f => AccessSubject.Case(f.CaseId)), AccessActions.List, "operator list of status feeds", connection, ct);
        return TypedResults.Ok(feeds);
    }
}
