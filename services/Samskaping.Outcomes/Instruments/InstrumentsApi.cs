using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Samskaping.ServiceDefaults;

namespace Samskaping.Outcomes.Instruments;

public static class InstrumentsApi
{
    public static void MapInstrumentEndpoints(this IEndpointRouteBuilder app)
    {
        // The questionnaires are not person data: every authenticated worker and analyst may read them.
        var instruments = app.MapApiGroup("/api/outcomes/instruments", "Instruments");

        instruments.MapGet("/", List)
            .WithName("ListInstruments")
            .WithSummary("Every instrument version with its items")
            .WithDescription("Items carry bokmål and English text, scale, anchors, domain, reverse coding and a licence note. A version never changes once used.");

        // maxlength(100) is InstrumentStore.MaxIdLength; versions start at 1. Outside either, no instrument: 404.
        instruments.MapGet("/{instrumentId:maxlength(100)}/versions/{version:int:range(1,2147483647)}", Get)
            .WithName("GetInstrumentVersion")
            .WithSummary("One instrument version with its items")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static async Task<Ok<IReadOnlyList<Instrument>>> List(InstrumentStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.All(ct));

    public static async Task<Results<Ok<Instrument>, ProblemHttpResult>> Get(
        [Description("The instrument's id, like 'samskaping-core'.")] string instrumentId,
        [Description("The version, from 1.")] int version,
        InstrumentStore store,
        CancellationToken ct) =>
        await store.Find(instrumentId, version, ct) is { } instrument
            ? TypedResults.Ok(instrument)
            : Refusal.NotFound("Instrument not found.", $"There is no version {version} of instrument '{instrumentId}'.").ToProblem();
}
