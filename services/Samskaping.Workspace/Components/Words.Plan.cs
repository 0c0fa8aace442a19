using Samskaping.Workspace.Api;

namespace Samskaping.Workspace.Components;

/// <summary>The action plan's words: evaluations, BTI levels and the plan's own field messages.</summary>
public static partial class Words
{
    public static string Helped(string helped) => helped switch
    {
        "yes" => "Ja, det hjalp",
        "no" => "Nei, det hjalp ikke",
        "partly" => "Det hjalp delvis",
        _ => helped,
    };

    /// <summary>Bedre tverrfaglig innsats (BTI): how much help, from how many services, the family needs now.</summary>
    public static string BtiLevel(int level) => level switch
    {
        0 => "Nivå 0: Vanlig oppfølging",
        1 => "Nivå 1: Ekstra hjelp fra én tjeneste",
        2 => "Nivå 2: Flere tjenester samarbeider",
        3 => "Nivå 3: Tett samarbeid med spesialisert hjelp",
        _ => $"Nivå {level}",
    };

    public static string BtiLevelExplained(int level) => level switch
    {
        0 => "Familien får den hjelpen alle får, for eksempel i barnehage, skole og helsestasjon. Noen har lagt merke til noe og følger med.",
        1 => "Én tjeneste gir familien litt ekstra hjelp selv, uten at andre trenger å være med.",
        2 => "To eller flere tjenester samarbeider om hjelpen, og har en felles plan med familien.",
        3 => "Familien trenger mye hjelp fra mange, også spesialiserte tjenester. En stafettholder samordner, og planen følges tett.",
        _ => "",
    };

    /// <summary>
    /// The plan API's field messages in bokmål. Its date rules say what was wrong in words of their own, which the general
    /// <see cref="FieldMessages"/> would only call "not accepted".
    /// </summary>
    public static IReadOnlyDictionary<string, string> PlanMessages(ApiProblem? problem)
    {
        var messages = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (field, texts) in problem?.Errors ?? [])
        {
            messages[field] = string.Join(" ", texts.Select(PlanMessage).Distinct());
        }
        return messages;
    }

    private static string PlanMessage(string message) => message switch
    {
        _ when message.StartsWith("Required", StringComparison.Ordinal) => "Fyll ut dette feltet.",
        _ when message.StartsWith("Must not be in the past", StringComparison.Ordinal) => "Velg i dag eller en dag senere.",
        _ when message.StartsWith("Must be after today", StringComparison.Ordinal) => "Velg en dag etter i dag.",
        _ when message.StartsWith("Must not be before startsOn", StringComparison.Ordinal) => "Sluttdatoen kan ikke være før startdatoen.",
        _ when message.StartsWith("Did it help?", StringComparison.Ordinal) => "Velg om tiltaket hjalp.",
        _ when message.StartsWith("There is no sector", StringComparison.Ordinal) => "Velg en sektor som finnes.",
        _ when message.Contains("has no goal", StringComparison.Ordinal) => "Velg et av sakens mål, eller ingen.",
        _ => FieldMessages.InBokmal(message),
    };
}
