using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Samskaping.Digisos;

namespace Samskaping.NavSimulator.Digisos;

/// <summary>
/// The Fiks Digisos subset the municipality side uses: create a case for an applicant, then post its complete
/// status document (<c>digisos-soker</c>) again on every change. Every call needs the bearer token from
/// <c>/token</c> and the Fiks integration headers. A document is judged by NAV's schema and NAV's reader rules
/// (the same <see cref="DigisosDocument"/> the benefits service checks with before sending).
/// </summary>
public static class DigisosEndpoints
{
    public static IServiceCollection AddSimulatorDigisos(this IServiceCollection services) => services.AddSingleton<DigisosInbox>();

    public static void MapDigisosEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/digisos/api/v1/{fiksOrgId}")
            .WithTags("Digisos")
            .RequireAuthorization()
            .AddEndpointFilter(RequireIntegrationHeaders)
            .DisableAntiforgery();
        api.MapPost("/ny", CreateCase)
            .WithSummary("Create a Digisos case for an applicant (sokerFnr in the query, as in NAV's contract); answers the new DigisosId");
        api.MapPost("/{digisosId}", ReceiveDocument)
            .WithSummary("Receive the case's complete status document: {\"type\":\"no.nav.digisos.digisos.soker.v1\",\"sak\":{\"soker\":…}}; 202, or 400 with NAV's schema errors");

        var inspect = app.MapGroup("/simulator/digisos").WithTags("Simulator inspection");
        inspect.MapGet("", (DigisosInbox inbox) => TypedResults.Ok(inbox.Cases()))
            .WithSummary("Every Digisos case: how many documents it received and how many events the latest holds");
        inspect.MapGet("/{digisosId}", Results<Ok<DigisosCaseDetail>, NotFound> (string digisosId, DigisosInbox inbox) =>
                inbox.Find(digisosId) is { } found ? TypedResults.Ok(found) : TypedResults.NotFound())
            .WithSummary("One Digisos case: its latest document and every receipt in arrival order");
    }

    /// <summary>Fiks wants the integration's id and password as headers besides the token; without them, 401.</summary>
    private static async ValueTask<object?> RequireIntegrationHeaders(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var o = http.RequestServices.GetRequiredService<IOptions<SimulatorOptions>>().Value;
        if (!Same(http.Request.Headers["IntegrasjonId"], o.IntegrasjonId) || !Same(http.Request.Headers["IntegrasjonPassord"], o.IntegrasjonPassord))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Missing or wrong IntegrasjonId / IntegrasjonPassord.");
        }
        return await next(context);
    }

    internal static Results<Ok<string>, ProblemHttpResult> CreateCase(string fiksOrgId, string? sokerFnr, DigisosInbox inbox)
    {
        // Eleven digits, as NAV's API wants. The number itself is neither kept nor logged.
        if (sokerFnr is null || sokerFnr.Length != 11 || !sokerFnr.All(char.IsAsciiDigit))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "sokerFnr must be an identity number of 11 digits.");
        }
        return TypedResults.Ok(inbox.Create(fiksOrgId));
    }

    internal static async Task<Results<Accepted, ProblemHttpResult>> ReceiveDocument(
        string fiksOrgId, string digisosId, HttpRequest request, DigisosInbox inbox, CancellationToken ct)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException e)
        {
            return Problem("The body is not JSON.", [new DigisosError("", e.Message)]);
        }
        if (body?["type"] is not JsonValue type || type.GetValueKind() != JsonValueKind.String || type.GetValue<string>() != DigisosDocument.EnvelopeType)
        {
            return Problem($"The body's type must be {DigisosDocument.EnvelopeType}.", [new DigisosError("/type", "Missing or unknown.")]);
        }
        if (body["sak"]?["soker"] is not JsonObject document)
        {
            return Problem("The body must hold the document at sak.soker.", [new DigisosError("/sak/soker", "Missing or not an object.")]);
        }
        var errors = DigisosDocument.Validate(document);
        if (errors.Count > 0)
        {
            return Problem("The document does not satisfy NAV's digisos-soker schema.", errors.Select(e => e with { Path = "/sak/soker" + e.Path }).ToList());
        }
        return inbox.Receive(fiksOrgId, digisosId, document)
            ? TypedResults.Accepted((string?)null)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No Digisos case {digisosId} for {fiksOrgId}.");
    }

    private static ProblemHttpResult Problem(string title, IReadOnlyList<DigisosError> errors) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: title,
            extensions: new Dictionary<string, object?> { ["errors"] = errors.Select(e => new { path = e.Path, message = e.Message }).ToList() });

    private static bool Same(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
