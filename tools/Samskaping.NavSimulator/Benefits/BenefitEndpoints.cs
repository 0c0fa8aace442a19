namespace Samskaping.NavSimulator.Benefits;

/// <summary>
/// The NAV-style benefit look-up (ytelsesoppslag):
/// <c>POST /api/v1/ytelser/oppslag</c> with <c>{"personidenter": ["11 digits", ...]}</c> and a bearer token from
/// <c>POST /token</c> answers <c>{"personer": [{"personident", "ytelser": [{"type", "belopPerManed", "fom", "tom"}]}]}</c>,
/// one entry per number asked for (an empty list for someone without benefits). Identity numbers travel in bodies only.
/// Fault injection applies to it. Control: <c>POST /simulator/benefits</c> sets one person's benefits at run time.
/// </summary>
public static class BenefitEndpoints
{
    public const int MaxPersonsPerLookup = 50;

    public sealed record Oppslag(IReadOnlyList<string>? Personidenter);

    public static IServiceCollection AddSimulatorBenefits(this IServiceCollection services) => services.AddSingleton<BenefitRegistry>();

    public static void MapBenefitEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/ytelser/oppslag", Lookup)
            .RequireAuthorization()
            .WithTags("Benefit look-up")
            .WithSummary("Current benefits (ytelser) per person; identity numbers in the body")
            .ProducesValidationProblem();

        app.MapPost("/simulator/benefits", Set)
            .AllowAnonymous()
            .WithTags("Simulator control")
            .WithSummary("Set one person's benefits (replaces what the seed or an earlier call gave them)")
            .ProducesValidationProblem();
    }

    internal static IResult Lookup(Oppslag? request, BenefitRegistry registry)
    {
        var numbers = request?.Personidenter;
        if (numbers is not { Count: > 0 and <= MaxPersonsPerLookup } || numbers.Any(n => !IsElevenDigits(n)))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]>
            {
                ["personidenter"] = [$"1 to {MaxPersonsPerLookup} identity numbers of 11 digits each."],
            });
        }
        return Results.Ok(new OppslagSvar([.. numbers.Distinct(StringComparer.Ordinal).Select(n => new PersonYtelser(n, registry.Of(n)))]));
    }

    internal static IResult Set(PersonYtelser? person, BenefitRegistry registry)
    {
        var errors = new Dictionary<string, string[]>();
        if (person is null || !IsElevenDigits(person.Personident))
        {
            errors["personident"] = ["11 digits."];
        }
        if (person?.Ytelser is null)
        {
            errors["ytelser"] = ["A list of benefits (may be empty)."];
        }
        else if (person.Ytelser.Any(y => string.IsNullOrWhiteSpace(y.Type) || y.BelopPerManed < 0 || (y.Fom is { } fom && y.Tom is { } tom && tom < fom)))
        {
            errors["ytelser"] = ["Each needs a type, a non-negative belopPerManed, and tom not before fom."];
        }
        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }
        registry.Set(person!.Personident, person.Ytelser);
        return Results.Ok(new PersonYtelser(person.Personident, registry.Of(person.Personident)));
    }

    private static bool IsElevenDigits(string? value) => value is { Length: 11 } && value.All(char.IsAsciiDigit);
}
