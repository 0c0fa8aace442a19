using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.Access;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Coordination.RelayLog;

public static class RelayLogApi
{
    public static void MapRelayLogEndpoints(this IEndpointRouteBuilder app)
    {
        var log = app.MapApiGroup("/api/coordination/cases/{caseId:guid}/relay-log", "Relay log", Policies.SectorStaff)
            .RequireCaseAccess(what: "Relay log");

        log.MapGet("", GetRelayLog)
            .WithName("GetRelayLog")
            .WithSummary("The case's relay log (stafettlogg), as far as the caller may see it")
            .WithDescription("Ordinary entries for everyone who may see the case; professional-secrecy entries for the author's sector and the lead "
                + "coordinator; restricted entries for the author and the lead coordinator. An entry with a category (a data category such as health) "
                + "whose category no consent covering the caller's sector for coordination names is answered with text null and withheld set to "
                + "that category; its date, type, author, sector and confidentiality stay. The lead coordinator, the opening sector before any "
                + "consent, and the entry's author are shown every text. Oldest first. Access-logged.");

        log.MapPost("", WriteEntry)
            .RequireAuthorization(Policies.CaseWorker)
            .WithName("WriteRelayLogEntry")
            .WithSummary("Append an entry to the relay log")
            .WithDescription("type: meeting, decision, measure-started, measure-ended, evaluation, handover or note; confidentiality: ordinary (default), "
                + "professional-secrecy or restricted; category (optional): contact, needs, health, school, economy or family, the kind of a person's data "
                + "the entry holds, which readers see only when their consents name it (the writer need not). Entries are never changed or deleted (the database refuses it): to correct one, write a new "
                + "entry with 'corrects' set to its id (422 when there is no such entry you can see).")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    public static async Task<Ok<IReadOnlyList<RelayLogEntry>>> GetRelayLog(
        Guid caseId, CurrentUser user, RelayLogStore store, DbSession db, CancellationToken ct) =>
        TypedResults.Ok(await store.Visible(caseId, user, await db.Connection(ct), ct));

    public static async Task<Results<Created<RelayLogEntry>, ProblemHttpResult>> WriteEntry(
        Guid caseId, WriteRelayLogEntry request, CurrentUser user, RelayLogStore store, DbSession db, CancellationToken ct)
    {
        var (valid, errors) = RelayLogRules.Validate(request);
        if (valid is null)
        {
            return Refusal.Invalid("The relay log entry could not be written.", errors).ToProblem();
        }
        var written = await store.Write(caseId, valid, user, await db.Connection(ct), ct);
        return written.Refusal is { } refusal
            ? refusal.ToProblem()
            : TypedResults.Created($"/api/coordination/cases/{caseId}/relay-log", written.Value);
    }
}
