namespace Samskaping.Workspace.Components;

/// <summary>The words of the family's own pages (Min side): plain bokmål for a parent or a young person.</summary>
public static partial class Words
{
    /// <summary>Whose case it is: «Per (deg)», «Cecilie (barnet ditt)».</summary>
    public static string Whose(IEnumerable<Api.CitizenWhose> whose) =>
        string.Join(", ", whose.Select(w => $"{w.FirstName} ({(w.Relation == "self" ? "deg" : "barnet ditt")})"));

    /// <summary>Who looked, as the family reads it: their role and sector, or themselves.</summary>
    public static string CitizenLooker(Api.CitizenAccessEntry entry) => entry switch
    {
        { ByYou: true } => "Du selv",
        { Role: "citizen" } => "Et familiemedlem",
        { Role: "service" } => "En annen tjeneste i Samskaping" + (entry.OnBehalfOfSector is { } sector ? $", for {Sector(sector)}" : ""),
        _ => $"{Capitalised(AccessRole(entry.Role.Split(' ')[0]))}{(entry.Sector.Length > 0 ? " i " + Sector(entry.Sector) : "")}",
    };

    /// <summary>What was looked at: the person's own data, their child's, or the case as a whole.</summary>
    public static string CitizenAbout(Api.CitizenAccessEntry entry) => entry.About switch
    {
        "self" => "opplysninger om deg",
        "child" => $"opplysninger om {entry.FirstName} (barnet ditt)",
        _ => "saken",
    };

    /// <summary>Why, in the family's words where we have them; null when the service wrote it only in English.</summary>
    public static string? CitizenPurpose(string? purpose) => purpose switch
    {
        "read case" => "så på saken",
        "citizen's own view" => "din egen oversikt på Min side",
        "add household member" => "registrerte hvem som er med i husstanden",
        _ => AccessPurpose(purpose),
    };

    public static string GoalStatus(string status) => status switch
    {
        "agreed" => "Avtalt",
        "achieved" => "Nådd",
        "abandoned" => "Lagt bort",
        _ => status,
    };

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
