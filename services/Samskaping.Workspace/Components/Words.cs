using System.Globalization;

namespace Samskaping.Workspace.Components;

/// <summary>
/// The API's codes as a person at the municipality says them (bokmål). One partial file per part of the case
/// (<c>Words.Plan.cs</c>, <c>Words.Grants.cs</c>, …) beside the general words here.
/// </summary>
public static partial class Words
{
    private static readonly CultureInfo Norwegian = CultureInfo.GetCultureInfo("nb-NO");
    private static readonly TimeZoneInfo Oslo = TimeZoneInfo.FindSystemTimeZoneById("Europe/Oslo");

    public static string Status(string status) => status switch
    {
        "referred" => "Henvist",
        "intake" => "Kartlegging",
        "active" => "Aktiv",
        "closing" => "Avsluttes",
        "closed" => "Avsluttet",
        _ => status,
    };

    public static string Sector(string sector) => sector switch
    {
        "oppvekst" => "Oppvekst",
        "helse-velferd" => "Helse og velferd",
        "kultur" => "Kultur",
        "nav" => "NAV",
        "frivillighet" => "Frivillighet",
        _ => sector,
    };

    public static string MemberRole(string role) => role switch
    {
        "guardian" => "Foresatt",
        "parent" => "Forelder",
        "child" => "Barn",
        "youth" or "young-person" => "Ungdom",
        "other-adult" => "Annen voksen",
        "adult" => "Voksen",
        _ => role,
    };

    public static string GroupRole(string role) => role switch
    {
        "lead" => "Har hovedansvaret",
        "contributor" => "Bidrar",
        _ => role,
    };

    public static string ConsentState(string state) => state switch
    {
        "valid" => "Gyldig",
        "withdrawn" => "Trukket tilbake",
        "expired" => "Utløpt",
        "pending" => "Ikke gyldig ennå",
        _ => state,
    };

    public static string Purpose(string purpose) => purpose switch
    {
        "coordination" => "samordning",
        "outcome-measurement" => "måling av hva hjelpen gjør",
        "grants" => "tilskudd",
        "benefit-coordination" => "samordning med NAV-ytelser",
        _ => purpose,
    };

    public static string GrantStatus(string status) => status switch
    {
        "requested" => "Søkt",
        "awaiting-second-approval" => "Venter på godkjenner nummer to",
        "approved" => "Innvilget",
        "declined" => "Avslått",
        "paid" => "Utbetalt",
        "stopped" => "Stanset",
        "cancelled" => "Avbrutt",
        _ => status,
    };

    public static string Date(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Oslo).ToString("d. MMMM yyyy", Norwegian);

    public static string Date(DateOnly on) => on.ToString("d. MMMM yyyy", Norwegian);

    public static string Money(decimal amount) => amount.ToString("N2", Norwegian) + " kr";
}
