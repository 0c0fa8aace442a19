using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Samskaping.Access;
using Samskaping.Cases.AccessHistory;
using Samskaping.Cases.Cases;
using Samskaping.Cases.Consents;
using Samskaping.Cases.Households;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Citizens;

/// <summary>
/// The family's own view (docs/architecture.md §8): a citizen signed in with their national identity number reads
/// their cases and those of the children in their care, an overview of each, and who looked at their data. Every read
/// is access-logged as the person's own (<see cref="CitizenToken.AsReader"/>).
/// </summary>
public static class CitizensApi
{
    /// <summary>The purpose of every access-log entry of a citizen's own reads.</summary>
    public const string Purpose = "citizen's own view";

    public static void MapCitizenEndpoints(this IEndpointRouteBuilder app)
    {
        var citizen = app.MapApiGroup("/api/cases/citizen", "Citizens", Policies.Citizen);

        citizen.MapGet("/cases", MyCases)
            .WithName("GetCitizenCases")
            .WithSummary("The signed-in citizen's cases, and those of the children in their care")
            .WithDescription("From 15, the cases of the households the person is a member of (whose: self); an adult also the cases of " +
                "every household with a member under 15 who shares a household with them where they are parent or guardian (whose: child). " +
                "Newest first. The person is found by the keyed hash of the token's pid; the number is never answered back. Access-logged.");

        citizen.MapGet("/cases/{caseId:guid}", Overview)
            .RequireCitizenRelation()
            .WithName("GetCitizenCaseOverview")
            .WithSummary("An overview of one of the citizen's cases")
            .WithDescription("The needs and resources in the family's own words, the members (name and relation, never an identity " +
                "number; in a household the person reaches only through a child, that child alone), the goals, the participating sectors, the lead coordinator's sector (the cases service does not know the lead's " +
                "name) and every consent with its sectors, purposes, kinds of data, validity and withdrawal. 404, as for a missing case, " +
                "for a case outside the relation rule. Access-logged for the case and each member.");

        citizen.MapGet("/access-log", WhoLooked)
            .WithName("GetCitizenAccessLog")
            .WithSummary("Who read or changed the citizen's data, and their children's, in every service, newest first, paged")
            .WithDescription("The privacy officer's history, for the person's own household records and those of the children the " +
                "relation rule gives them, and for their cases as a whole; without the staff's subject ids or trace ids. limit 1–200 " +
                "(default 50); cursor: nextCursor of the previous page. 503 naming the services whose logs could not be read.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    public static async Task<Ok<CitizenCaseList>> MyCases(CitizenToken citizen, CitizenRelation relation, DbSession db, AccessLog accessLog, CancellationToken ct)
    {
        var connection = await db.Connection(ct);
        var reached = await relation.Cases(citizen, connection, ct);
        // Finding the person is itself a read of their data: logged also when nothing is found, as an attempt about nobody.
        var subjects = reached.SelectMany(c => c.Through.Select(t => new AccessSubject(c.CaseId, t.PersonId)))
            .DefaultIfEmpty(new AccessSubject(null, null));
        await accessLog.WriteMany(citizen.AsReader(), subjects, AccessActions.List, Purpose, connection, ct);
        return TypedResults.Ok(new CitizenCaseList([.. reached.Select(c => new CitizenCaseDto(c.CaseId, c.HouseholdName, c.Status, c.OpenedAt, CitizenWhoseDto.From(c)))]));
    }

    public static async Task<Results<Ok<CitizenOverviewDto>, ProblemHttpResult>> Overview(
        Guid caseId, CitizenCase visible, CitizenToken citizen, DbSession db, ConsentStore consents, AccessLog accessLog, CancellationToken ct)
    {
        var connection = await db.Connection(ct);
        if (await CaseStore.Find(caseId, connection, ct) is not { } found)
        {
            return CitizenCaseAccess.CaseNotFound(caseId).ToProblem();
        }
        var reached = visible.Reached;
        var sectors = await CaseParticipation.Sectors(caseId, connection, ct);
        var leadSector = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT sector FROM access.case_leads WHERE case_id = @caseId", new { caseId }, cancellationToken: ct));
        var history = await consents.History(caseId, connection, ct);
        // A household the person reaches only through a child is not theirs: of its members they see the child alone.
        var through = reached.Through.Select(t => t.PersonId).ToHashSet();
        IReadOnlyList<MemberDto> members = reached.IsOwn ? found.Members : [.. found.Members.Where(m => through.Contains(m.PersonId))];
        var names = members.ToDictionary(m => m.PersonId, m => m.Name);
        var mine = reached.Through.Where(t => t.Relation == Relations.Self).Select(t => t.PersonId).ToHashSet();
        await accessLog.WriteMany(citizen.AsReader(),
            [AccessSubject.Case(caseId), .. members.Select(m => new AccessSubject(caseId, m.PersonId))], AccessActions.Read, Purpose, connection, ct);
        var c = found.Case;
        return TypedResults.Ok(new CitizenOverviewDto(
            c.Id, c.HouseholdName, Case.StatusName(c.Status), c.OpenedAt, CitizenWhoseDto.From(reached),
            [.. c.Needs.Select(n => new CitizenTextDto(n.Text, n.SaidBy, n.RecordedAt))],
            [.. found.Resources.Select(r => new CitizenTextDto(r.Text, r.SaidBy, r.RecordedAt))],
            [.. members.Select(m => new CitizenMemberDto(m.Name, m.Role, mine.Contains(m.PersonId)))],
            [.. found.Goals.Select(g => new CitizenGoalDto(g.Text, g.ProposedBy, g.Status, g.AgreedAt))],
            sectors, leadSector,
            [.. history.Select(h => new CitizenConsentDto(h.Id, names.GetValueOrDefault(h.PersonId, ""), names.GetValueOrDefault(h.GivenByPersonId, ""),
                h.Sectors, h.Purposes, h.DataCategories, h.ValidFrom, h.ValidTo, h.State, h.WithdrawnAt))]));
    }

    public static async Task<Results<Ok<CitizenAccessPage>, ProblemHttpResult>> WhoLooked(
        CitizenToken citizen, CitizenRelation relation, DbSession db, AccessLogSourceClient sources, AccessLog accessLog, CancellationToken ct,
        [FromQuery, Description(WorkListQuery.CursorDescription), MaxLength(Cursor.MaxLength)] string? cursor = null,
        [FromQuery, Description("Page size, a whole number from 1 to 200 (default 50)."), MaxLength(WorkListQuery.MaxLimitDigits), RegularExpression("^[0-9]+$")] string? limit = null)
    {
        var errors = new ValidationErrors();
        var take = WorkListQuery.ParseLimit(limit, errors, AccessHistoryApi.DefaultLimit, AccessHistoryApi.MaxLimit);
        var before = WorkListQuery.ParseCursor(cursor, errors);
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The access history could not be read.", errors).ToProblem();
        }
        var connection = await db.Connection(ct);
        var reached = await relation.Cases(citizen, connection, ct);
        var records = reached.SelectMany(c => c.Through).DistinctBy(t => t.PersonId).ToDictionary(t => t.PersonId);
        if (records.Count == 0)
        {
            await accessLog.Write(citizen.AsReader(), null, null, AccessActions.ReadAccessLog, Purpose, connection, ct);
            return TypedResults.Ok(new CitizenAccessPage([], null));
        }
        var ids = records.Keys.ToList();
        var (page, next, unavailable) = await AccessHistoryApi.Gather(
            connection, sources, ids[0], [.. ids.Skip(1)], [.. reached.Select(c => c.CaseId)], before, take, ct);
        if (unavailable is not null)
        {
            return unavailable;
        }
        await accessLog.WriteMany(citizen.AsReader(), ids.Select(id => new AccessSubject(null, id)), AccessActions.ReadAccessLog, Purpose, connection, ct);
        return TypedResults.Ok(new CitizenAccessPage([.. page.Select(e =>
        {
            var about = e.PersonId is { } person && records.TryGetValue(person, out var through) ? through : null;
            return new CitizenAccessEntryDto(e.At, e.Service, e.Role, e.Sector, e.Action, e.Purpose, e.CaseId,
                about?.Relation ?? "case", about is null ? null : CitizenWhoseDto.FirstNameOf(about.Name), e.Subject == citizen.Subject, e.OnBehalfOfSector);
        })], next?.Encode()));
    }
}
