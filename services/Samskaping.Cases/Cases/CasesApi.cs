using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Samskaping.Access;
using Samskaping.Cases.Goals;
using Samskaping.Cases.Households;
using Samskaping.Cases.Timeline;
using Samskaping.Contracts.Cases;
using Samskaping.Messaging.Database;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Cases;

public static class CasesApi
{
    public static void MapCaseEndpoints(this IEndpointRouteBuilder app)
    {
        var cases = app.MapApiGroup("/api/cases", "Cases");
        // Every sector's staff reads the cases it may see; caseworkers and coordinators open and change them.
        var readers = cases.MapGroup("").RequireAuthorization(Policies.SectorStaff);
        var workers = cases.MapGroup("").RequireAuthorization(Policies.CaseWorker);
        var readCase = readers.MapGroup("/{id:guid}").RequireCaseAccess("id");
        var changeCase = workers.MapGroup("/{id:guid}").RequireCaseAccess("id");

        workers.MapPost("", OpenCase)
            .WithName("OpenCase")
            .WithSummary("Open a family's case with the need in the family's own words")
            .WithDescription("Creates the household (or, with householdId, opens a new case for a household the caller already works with). " +
                "The caller's sector becomes the case's first participating sector and the caller its lead coordinator. Publishes CaseOpened.")
            .ProducesInvalid();

        readers.MapGet("", ListCases)
            .WithName("ListCases")
            .WithSummary("The work list: cases the caller may see, newest first")
            .WithDescription("scope=visible (default), mine (opened by me or I am the lead coordinator) or sector (my sector participates); " +
                "status filters by lifecycle state; q searches household and member names (case-insensitive, æøå-aware); " +
                "limit 1–100 (default 25); cursor is the nextCursor of the previous page. The list is access-logged.")
            .ProducesInvalid();

        readCase.MapGet("", GetCase)
            .WithName("GetCase")
            .WithSummary("Read a case: household, members, needs, resources, goals")
            .WithDescription("Only for workers whose sector participates in the case and is covered by a valid consent (or the lead coordinator); " +
                "otherwise 404, so existence does not leak. The read is access-logged, once per member whose data is shown.");

        changeCase.MapPost("/status", ChangeStatus)
            .WithName("ChangeCaseStatus")
            .WithSummary("Move the case in its lifecycle, with a reason")
            .WithDescription("referred → intake | closed; intake → active | closed; active → closing; closing → closed | active (reopen); " +
                "closed → intake | active (reopen). Active needs a need and a valid consent. An illegal move is 409 naming the current state. " +
                "Publishes CaseStatusChanged, and CaseClosed on closing.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);

        readCase.MapGet("/status-history", GetStatusHistory)
            .WithName("GetCaseStatusHistory")
            .WithSummary("Every lifecycle move of the case with its reason, oldest first");

        changeCase.MapPost("/needs", AddNeed)
            .WithName("AddNeed")
            .WithSummary("Record another need in the family's own words")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);

        changeCase.MapPost("/resources", AddResource)
            .WithName("AddResource")
            .WithSummary("Record a resource the family has, in their own words")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);

        changeCase.MapPost("/goals", AgreeGoal)
            .WithName("AgreeGoal")
            .WithSummary("Record a goal agreed with the family")
            .WithDescription("proposedBy is \"family\" or the proposing worker's sector code. Publishes GoalAgreed.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);

        changeCase.MapPost("/goals/{goalId:guid}/status", EndGoal)
            .WithName("EndGoal")
            .WithSummary("Mark an agreed goal achieved or abandoned")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);

        readCase.MapGet("/timeline", GetTimeline)
            .WithName("GetCaseTimeline")
            .WithSummary("What happened to the case across all services, newest first, paged")
            .WithDescription("Built from the services' events (cases, coordination, grants, outcomes). limit 1–100 (default 25); cursor from nextCursor.")
            .ProducesInvalid();
    }

    public static async Task<Results<Created<CaseDto>, ProblemHttpResult>> OpenCase(
        OpenCase request, CurrentUser user, CaseStore store, TimeProvider clock, CancellationToken ct)
    {
        var (opened, errors) = Case.Open(request, user, clock);
        if (opened is null)
        {
            return Refusal.Invalid("The case could not be opened.", errors).ToProblem();
        }
        var outcome = await store.Open(opened, user, ct);
        if (outcome.Refusal is { } refusal)
        {
            return refusal.ToProblem();
        }
        var created = outcome.Value!;
        return TypedResults.Created($"/api/cases/{created.Id}", CaseDto.From(new CaseView(created, [], [], []), [created.OpenedBySector]));
    }

    public static async Task<Results<Ok<CaseListPage>, ProblemHttpResult>> ListCases(
        CurrentUser user, CaseStore store, CancellationToken ct,
        [FromQuery, Description("Which cases: visible (default), mine or sector."), AllowedValues(WorkListQuery.Visible, WorkListQuery.Mine, WorkListQuery.Sector)] string? scope = null,
        [FromQuery, Description("Only cases in this lifecycle state."), AllowedValues(CaseStatuses.Referred, CaseStatuses.Intake, CaseStatuses.Active, CaseStatuses.Closing, CaseStatuses.Closed)] string? status = null,
        [FromQuery, Description("Search in household and member names."), MaxLength(Samskaping.Cases.Search.MaxLength)] string? q = null,
        [FromQuery, Description(WorkListQuery.LimitDescription), MaxLength(WorkListQuery.MaxLimitDigits), RegularExpression("^[0-9]+$")] string? limit = null,
        [FromQuery, Description(WorkListQuery.CursorDescription), MaxLength(Cursor.MaxLength)] string? cursor = null)
    {
        var errors = new ValidationErrors();
        var query = WorkListQuery.Parse(scope, status, q, limit, cursor, errors);
        return errors.IsValid
            ? TypedResults.Ok(await store.List(user, query!, ct))
            : Refusal.Invalid("The work list could not be read.", errors).ToProblem();
    }

    /// <summary>The access check (the route group's), the case, its sectors and the access-log entry share one connection.</summary>
    public static async Task<Results<Ok<CaseDto>, ProblemHttpResult>> GetCase(
        Guid id, CurrentUser user, DbSession db, AccessLog accessLog, CancellationToken ct)
    {
        var connection = await db.Connection(ct);
        if (await CaseStore.Find(id, connection, ct) is not { } found)
        {
            return Refusal.CaseNotFound(id).ToProblem();
        }
        var sectors = await CaseParticipation.Sectors(id, connection, ct);
        await accessLog.WriteMany(user,
            [AccessSubject.Case(id), .. found.Members.Select(m => new AccessSubject(id, m.PersonId))], AccessActions.Read, "read case", connection, ct);
        return TypedResults.Ok(CaseDto.From(found, sectors));
    }

    public static async Task<Results<Ok<CaseStatusDto>, ProblemHttpResult>> ChangeStatus(
        Guid id, ChangeStatus request, CurrentUser user, CaseStore store, DbSession db, CancellationToken ct)
    {
        // The request is checked before the state: a bad "to" is a 422 whatever the case's state.
        var errors = new ValidationErrors();
        CaseLifecycle.Read(request, errors);
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The status could not be changed.", errors).ToProblem();
        }
        var outcome = await store.ChangeStatus(id, request, user, await db.Connection(ct), ct);
        return outcome.Refusal is { } refusal
            ? refusal.ToProblem()
            : TypedResults.Ok(new CaseStatusDto(id, outcome.Value!.From, outcome.Value.To, outcome.Value.Reason, outcome.Value.ChangedAt));
    }

    public static async Task<Ok<IReadOnlyList<StatusChangeDto>>> GetStatusHistory(
        Guid id, CurrentUser user, DbSession db, AccessLog accessLog, CancellationToken ct)
    {
        var connection = await db.Connection(ct);
        var history = await CaseStore.StatusHistory(id, connection, ct);
        await accessLog.Write(user, id, null, AccessActions.Read, "read case status history", connection, ct);
        return TypedResults.Ok(history);
    }

    public static async Task<Results<Created<NeedDto>, ProblemHttpResult>> AddNeed(
        Guid id, NeedInput request, CurrentUser user, CaseStore store, DbSession db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var text = errors.Text("text", request.Text, Case.MaxNeedLength);
        var saidBy = errors.OptionalText("saidBy", request.SaidBy, Case.MaxSaidByLength);
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The need could not be recorded.", errors).ToProblem();
        }
        var now = clock.Now();
        var outcome = await store.AddNeed(id, new Need(Guid.CreateVersion7(now), text, saidBy, user.Subject, now), user, await db.Connection(ct), ct);
        return outcome.Refusal is { } refusal
            ? refusal.ToProblem()
            : TypedResults.Created($"/api/cases/{id}", NeedDto.From(outcome.Value!));
    }

    public static async Task<Results<Created<ResourceDto>, ProblemHttpResult>> AddResource(
        Guid id, NeedInput request, CurrentUser user, CaseStore store, DbSession db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var text = errors.Text("text", request.Text, Case.MaxNeedLength);
        var saidBy = errors.OptionalText("saidBy", request.SaidBy, Case.MaxSaidByLength);
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The resource could not be recorded.", errors).ToProblem();
        }
        var now = clock.Now();
        var outcome = await store.AddResource(id, new ResourceDto(Guid.CreateVersion7(now), text, saidBy, user.Subject, now), user, await db.Connection(ct), ct);
        return outcome.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Created($"/api/cases/{id}", outcome.Value!);
    }

    public static async Task<Results<Created<GoalDto>, ProblemHttpResult>> AgreeGoal(
        Guid id, AgreeGoal request, CurrentUser user, CaseStore store, DbSession db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var (text, proposedBy) = Goal.Validate(request, errors);
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The goal could not be recorded.", errors).ToProblem();
        }
        var now = clock.Now();
        var outcome = await store.AgreeGoal(id, new GoalDto(Guid.CreateVersion7(now), text, proposedBy, Goal.Agreed, user.Subject, now), user, await db.Connection(ct), ct);
        return outcome.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Created($"/api/cases/{id}", outcome.Value!);
    }

    public static async Task<Results<Ok<GoalDto>, ProblemHttpResult>> EndGoal(
        Guid id, Guid goalId, EndGoal request, CurrentUser user, CaseStore store, DbSession db, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var status = Goal.ValidateEnd(request, errors);
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The goal could not be changed.", errors).ToProblem();
        }
        var outcome = await store.EndGoal(id, goalId, status!, user, await db.Connection(ct), ct);
        return outcome.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(outcome.Value!);
    }

    public static async Task<Results<Ok<TimelinePage>, ProblemHttpResult>> GetTimeline(
        Guid id, CurrentUser user, DbSession db, AccessLog accessLog, CancellationToken ct,
        [FromQuery, Description(WorkListQuery.LimitDescription), MaxLength(WorkListQuery.MaxLimitDigits), RegularExpression("^[0-9]+$")] string? limit = null,
        [FromQuery, Description(WorkListQuery.CursorDescription), MaxLength(Cursor.MaxLength)] string? cursor = null)
    {
        var errors = new ValidationErrors();
        var take = WorkListQuery.ParseLimit(limit, errors);
        var after = WorkListQuery.ParseCursor(cursor, errors);
        if (!errors.IsValid)
        {
            return Refusal.Invalid("The timeline could not be read.", errors).ToProblem();
        }
        var connection = await db.Connection(ct);
        var page = await TimelineStore.Page(id, after, take, connection, ct);
        await accessLog.Write(user, id, null, AccessActions.Read, "read case timeline", connection, ct);
        return TypedResults.Ok(page);
    }
}
