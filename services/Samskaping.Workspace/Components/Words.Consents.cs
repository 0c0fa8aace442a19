namespace Samskaping.Workspace.Components;

/// <summary>The words of "Husstand og samtykker": household roles, and what a consent can cover.</summary>
public static partial class Words
{
    /// <summary>The household roles the cases service takes (<c>POST /api/cases/{id}/members</c>), in its order.</summary>
    public static IReadOnlyList<string> HouseholdRoles { get; } = ["guardian", "parent", "child", "youth", "other-adult"];

    /// <summary>The sectors, purposes and kinds of data a consent may name (the cases service's allowed values).</summary>
    public static IReadOnlyList<string> ConsentSectors { get; } = ["oppvekst", "helse-velferd", "kultur", "nav", "frivillighet"];

    public static IReadOnlyList<string> ConsentPurposes { get; } = ["coordination", "grants", "outcome-measurement", "benefit-coordination"];

    public static IReadOnlyList<string> DataCategories { get; } = ["contact", "needs", "health", "school", "economy", "family"];

    public static string DataCategory(string category) => category switch
    {
        "contact" => "kontaktopplysninger",
        "needs" => "behov",
        "health" => "helse",
        "school" => "skole og barnehage",
        "economy" => "økonomi",
        "family" => "familieforhold",
        _ => category,
    };
}
