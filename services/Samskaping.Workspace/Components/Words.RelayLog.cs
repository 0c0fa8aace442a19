namespace Samskaping.Workspace.Components;

/// <summary>The relay log's codes (coordination's <c>RelayLogRules</c>) as a caseworker says them.</summary>
public static partial class Words
{
    /// <summary>The entry types the API accepts, in the order the form offers them.</summary>
    public static IReadOnlyList<string> RelayTypes { get; } = ["meeting", "decision", "measure-started", "measure-ended", "evaluation", "handover", "note"];

    /// <summary>The confidentiality classes, from the widest audience to the narrowest.</summary>
    public static IReadOnlyList<string> RelayConfidentialities { get; } = ["ordinary", "professional-secrecy", "restricted"];

    /// <summary>The data categories an entry may hold (coordination's <c>DataCategories</c>).</summary>
    public static IReadOnlyList<string> RelayCategories { get; } = ["contact", "needs", "health", "school", "economy", "family"];

    public static string RelayType(string type) => type switch
    {
        "meeting" => "Møte",
        "decision" => "Beslutning",
        "measure-started" => "Tiltak startet",
        "measure-ended" => "Tiltak avsluttet",
        "evaluation" => "Evaluering",
        "handover" => "Overlevering",
        "note" => "Notat",
        _ => type,
    };

    public static string RelayConfidentiality(string confidentiality) => confidentiality switch
    {
        "ordinary" => "Vanlig",
        "professional-secrecy" => "Taushetsbelagt",
        "restricted" => "Begrenset",
        _ => confidentiality,
    };

    /// <summary>Who reads an entry of the class: the rule of coordination's <c>RelayLogRules.IsVisibleTo</c>.</summary>
    public static string ConfidentialityReaders(string confidentiality) => confidentiality switch
    {
        "ordinary" => "Alle som arbeider med saken, i alle sektorene som er med.",
        "professional-secrecy" => "Bare de i din sektor som arbeider med saken, og stafettholderen.",
        "restricted" => "Bare du og stafettholderen.",
        _ => "",
    };

    /// <summary>A data category as the noun the sentence «opplysninger om …» ends with.</summary>
    public static string RelayCategory(string category) => category switch
    {
        "contact" => "kontaktinformasjon",
        "needs" => "behov",
        "health" => "helse",
        "school" => "skole",
        "economy" => "økonomi",
        "family" => "familieforhold",
        _ => category,
    };

    /// <summary>Date and clock time in Norway, for entries several of which may be written the same day.</summary>
    public static string LoggedAt(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, Oslo).ToString("d. MMMM yyyy 'kl.' HH.mm", Norwegian);
}
