using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.Access;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.Cases;

public static class CasesApi
{
    public static void MapCaseEndpoints(this IEndpointRouteBuilder app)
    {
        var cases = app.MapApiGroup("/api/cases", "Cases");

        cases.MapPost("", OpenCase)
            .RequireAuthorization(Policies.CaseWorker)
            .WithName("OpenCase")
            .WithSummary("Open a family's case with the need in the family's own words")
            .WithDescription("The caller's sector becomes the case's first participating sector and the caller its lead coordinator. Publishes CaseOpened.")
            .ProducesValidationProblem();

        cases.MapGet("/{id:guid}", GetCase)
            .RequireAuthorization(Policies.SectorStaff)
            .WithName("GetCase")
            .WithSummary("Read a case")
            .WithDescription("Only for workers whose sector participates in the case; otherwise 404, so existence does not leak. The read is access-logged.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static async Task<Results<Created<CaseDto>, ValidationProblem>> OpenCase(
        OpenCase request, CurrentUser user, CaseStore store, TimeProvider clock, CancellationToken ct)
    {
        var (opened, errors) = Case.Open(request, user, clock);
        if (opened is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The case could not be opened.");
        }
        await store.Open(opened, user, ct);
        return TypedResults.Created($"/api/cases/{opened.Id}", CaseDto.From(opened, [opened.OpenedBySector]));
    }

    public static async Task<Results<Ok<CaseDto>, ProblemHttpResult>> GetCase(
        Guid id, CurrentUser user, CaseStore store, CaseAccess access, CaseParticipation participation, AccessLog accessLog, CancellationToken ct)
    {
        var sectors = await participation.Sectors(id, ct);
        var found = await access.CanSee(id, user, ct) ? await store.Find(id, ct) : null;
        if (found is null)
        {
            return ApiGroups.CaseNotFound(id);
        }
        await accessLog.Write(user, id, null, AccessActions.Read, "read case", ct);
        return TypedResults.Ok(CaseDto.From(found, sectors));
    }
}

public sealed record NeedDto(Guid Id, string Text, string? SaidBy, string RecordedBy, DateTimeOffset RecordedAt);

public sealed record CaseDto(
    Guid Id,
    string HouseholdName,
    string Status,
    string OpenedBy,
    string OpenedBySector,
    DateTimeOffset OpenedAt,
    IReadOnlyList<NeedDto> Needs,
    IReadOnlyList<string> ParticipatingSectors)
{
    public static CaseDto From(Case c, IReadOnlyList<string> sectors) => new(
        c.Id, c.HouseholdName, CaseStore.StatusName(c.Status), c.OpenedBy, c.OpenedBySector, c.OpenedAt,
        [.. c.Needs.Select(n => new NeedDto(n.Id, n.Text, n.SaidBy, n.RecordedBy, n.RecordedAt))], sectors);
}
