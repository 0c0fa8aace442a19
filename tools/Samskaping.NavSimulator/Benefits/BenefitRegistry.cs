using System.Collections.Concurrent;
using System.Text.Json;

namespace Samskaping.NavSimulator.Benefits;

/// <summary>A benefit (ytelse) as the look-up answers it: NOK per month and the period (tom null = open-ended).</summary>
public sealed record Ytelse(string Type, decimal? BelopPerManed, DateOnly? Fom, DateOnly? Tom);

/// <summary>One person in a look-up answer or the seed file.</summary>
public sealed record PersonYtelser(string Personident, IReadOnlyList<Ytelse> Ytelser);

/// <summary>The seed file's shape, and the look-up answer's: <c>{"personer": [...]}</c>.</summary>
public sealed record OppslagSvar(IReadOnlyList<PersonYtelser> Personer);

/// <summary>
/// Who has which benefits, in memory: seeded at start from <c>seed-benefits.json</c> (embedded; or the file named by
/// <c>NavSimulator:Benefits:SeedFile</c>), changed at run time through <c>POST /simulator/benefits</c>. Unknown people have none.
/// </summary>
public sealed class BenefitRegistry
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip };

    private readonly ConcurrentDictionary<string, IReadOnlyList<Ytelse>> _byPerson = new(StringComparer.Ordinal);

    public BenefitRegistry(IConfiguration configuration)
    {
        var seedFile = configuration["NavSimulator:Benefits:SeedFile"];
        using var stream = string.IsNullOrWhiteSpace(seedFile)
            ? typeof(BenefitRegistry).Assembly.GetManifestResourceStream("Samskaping.NavSimulator.Benefits.seed-benefits.json")
              ?? throw new InvalidOperationException("The embedded benefit seed is missing.")
            : File.OpenRead(seedFile);
        var seed = JsonSerializer.Deserialize<OppslagSvar>(stream, Json)
            ?? throw new InvalidOperationException("The benefit seed file is empty.");
        foreach (var person in seed.Personer)
        {
            Set(person.Personident, person.Ytelser);
        }
    }

    public IReadOnlyList<Ytelse> Of(string personident) => _byPerson.TryGetValue(personident, out var ytelser) ? ytelser : [];

    public void Set(string personident, IReadOnlyList<Ytelse> ytelser) => _byPerson[personident] = [.. ytelser];
}

