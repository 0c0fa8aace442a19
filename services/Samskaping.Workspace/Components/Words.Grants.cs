using System.Globalization;
using Samskaping.Workspace.Api;

namespace Samskaping.Workspace.Components;

/// <summary>The grants service's codes and messages in bokmål, for the grant pages.</summary>
public static partial class Words
{
    /// <summary>The categories the grants service accepts, in the order the form offers them.</summary>
    public static IReadOnlyList<string> GrantCategories { get; } = ["leisure", "school", "equipment", "housing", "transport", "health", "household", "other"];

    public static string GrantCategory(string? category) => category switch
    {
        "leisure" => "Fritid",
        "school" => "Skole",
        "equipment" => "Utstyr",
        "housing" => "Bolig",
        "transport" => "Transport",
        "health" => "Helse",
        "household" => "Husholdning",
        "other" => "Annet",
        null or "" => "Uten kategori",
        _ => category,
    };

    public static string PayeeKind(string kind) => kind switch
    {
        "family" => "familien",
        "third-party" => "en annen (lag, butikk, utleier)",
        _ => kind,
    };

    public static string DisbursementStatus(string status) => status switch
    {
        "planned" => "Planlagt",
        "sent" => "Sendt til banken",
        "paid" => "Utbetalt",
        "failed" => "Avvist av banken",
        "stopped" => "Stanset",
        "cancelled" => "Annullert",
        _ => status,
    };

    public static string BenefitType(string type) => type switch
    {
        "barnetrygd" => "Barnetrygd",
        "kontantstotte" => "Kontantstøtte",
        "sosialhjelp" => "Økonomisk sosialhjelp",
        "bostotte" => "Bostøtte",
        "dagpenger" => "Dagpenger",
        "aap" => "Arbeidsavklaringspenger",
        "uforetrygd" => "Uføretrygd",
        "overgangsstonad" => "Overgangsstønad",
        _ => type,
    };

    /// <summary>
    /// An amount as a person types it (<c>3 500,50</c> or <c>3500.50</c>), or null when it is not a number. The API
    /// decides whether the number is acceptable.
    /// </summary>
    public static decimal? ParseAmount(string? text)
    {
        var cleaned = (text ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("\u00a0", "", StringComparison.Ordinal)
            .Replace("kr", "", StringComparison.OrdinalIgnoreCase).Replace(',', '.');
        return decimal.TryParse(cleaned, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount)
            ? amount
            : null;
    }

    /// <summary>The grants service's field messages in bokmål, the general ones through <see cref="FieldMessages"/>.</summary>
    public static IReadOnlyDictionary<string, string> GrantFieldMessages(ApiProblem? problem)
    {
        var messages = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (field, texts) in problem?.Errors ?? [])
        {
            messages[field] = string.Join(" ", texts.Select(GrantMessage).Distinct());
        }
        return messages;
    }

    private static string GrantMessage(string message) => message switch
    {
        "Must be more than zero." => "Beløpet må være mer enn 0 kr.",
        "Required: an amount in NOK." => "Skriv beløpet i kroner.",
        "At most two decimals (øre)." => "Skriv høyst to desimaler (øre).",
        _ when message.StartsWith("At most ", StringComparison.Ordinal) && message.EndsWith(" NOK.", StringComparison.Ordinal) =>
            "Beløpet er større enn det som kan gis fra et fond.",
        _ when message.StartsWith("A Norwegian account number", StringComparison.Ordinal) =>
            "Skriv et gyldig kontonummer med 11 siffer.",
        _ when message.StartsWith("A Norwegian organisation number", StringComparison.Ordinal) =>
            "Skriv et gyldig organisasjonsnummer med 9 siffer.",
        "Only for a third-party payee." => "Organisasjonsnummer skal bare fylles ut når pengene går til en annen enn familien.",
        _ when message.StartsWith("Required: the fund that receives", StringComparison.Ordinal) => "Velg fondet som skal få pengene.",
        _ when message.StartsWith("Required: the fund", StringComparison.Ordinal) => "Velg et fond.",
        _ when message.StartsWith("There is no fund", StringComparison.Ordinal) => "Fondet finnes ikke. Velg et annet fond.",
        _ when message.StartsWith("Must be another fund", StringComparison.Ordinal) => "Velg et annet fond enn dette.",
        _ => FieldMessages.InBokmal(message),
    };
}
