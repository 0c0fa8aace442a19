using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.ServiceDefaults;

namespace Samskaping.Coordination.Sectors;

public static class SectorsApi
{
    public static void MapSectorEndpoints(this IEndpointRouteBuilder app)
    {
        var sectors = app.MapApiGroup("/api/coordination/sectors", "Sectors");

        sectors.MapGet("", ListSectors)
            .WithName("ListSectors")
            .WithSummary("The sector registry: every sector that can take part in a case")
            .WithDescription("Open to every signed-in user. Seeded with oppvekst, helse-velferd, kultur, nav and frivillighet.");

        sectors.MapPost("", AddSector)
            .RequireAuthorization(Policies.Admin)
            .WithName("AddSector")
            .WithSummary("Add a sector to the registry (admins)")
            .WithDescription("The code is lowercase kebab case (like 'helse-velferd') and unique: an existing code is 409.")
            .ProducesInvalid()
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    public static async Task<Ok<IReadOnlyList<Sector>>> ListSectors(SectorStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.All(ct));

    public static async Task<Results<Created<Sector>, ProblemHttpResult>> AddSector(
        AddSector request, CurrentUser user, SectorStore store, CancellationToken ct)
    {
        var (valid, errors) = SectorCode.Validate(request);
        if (valid is null)
        {
            return Refusal.Invalid("The sector could not be added.", errors).ToProblem();
        }
        var added = await store.Add(valid, user, ct);
        return added.Refusal is { } refusal
            ? refusal.ToProblem()
            : TypedResults.Created($"/api/coordination/sectors/{added.Value!.Code}", added.Value);
    }
}
