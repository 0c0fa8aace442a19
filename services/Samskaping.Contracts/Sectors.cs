namespace Samskaping.Contracts;

/// <summary>The sector codes of the municipal model (oppvekst, helse/velferd, kultur, NAV, frivillighet).</summary>
public static class Sectors
{
    public const string Oppvekst = "oppvekst";
    public const string HelseVelferd = "helse-velferd";
    public const string Kultur = "kultur";
    public const string Nav = "nav";
    public const string Frivillighet = "frivillighet";

    public static IReadOnlyList<string> All { get; } = [Oppvekst, HelseVelferd, Kultur, Nav, Frivillighet];

    public static bool IsKnown(string? sector) => sector is not null && All.Contains(sector);
}
