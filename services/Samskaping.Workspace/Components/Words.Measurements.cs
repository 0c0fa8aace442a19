using System.Globalization;

namespace Samskaping.Workspace.Components;

/// <summary>Outcome measurements' words: kinds, states, who answered, and the questionnaire's domains.</summary>
public static partial class Words
{
    public static string MeasurementKind(string kind, int? offsetMonths) => kind switch
    {
        "baseline" => "Kartlegging ved start",
        "follow-up" => offsetMonths is { } months ? $"Oppfølging etter {months} måneder" : "Oppfølging",
        "closing" => "Ved avslutning",
        _ => kind,
    };

    public static string MeasurementStatus(string status) => status switch
    {
        "due" => "Skal gjøres",
        "overdue" => "Forfalt: fristen er passert",
        "completed" => "Fullført: alle i husstanden har svart",
        "cancelled" => "Avlyst fordi saken ble avsluttet",
        _ => status,
    };

    public static string Respondent(string kind) => kind switch
    {
        "self" => "Personen selv",
        "guardian" => "En foresatt på vegne av barnet",
        "worker-with-person" => "Du sammen med personen",
        _ => kind,
    };

    public static string Domain(string domain) => domain switch
    {
        "life-satisfaction" => "Fornøyd med livet",
        "economy" => "Økonomi",
        "free-time" => "Fritid",
        "relations" => "Nære relasjoner",
        "meaning" => "Mening",
        "mastery" => "Mestring",
        "belonging" => "Tilhørighet",
        "participation-activities" => "Faste aktiviteter (antall)",
        "participation" => "Deltakelse",
        "citizenship" => "Blir hørt av kommunen",
        "self-reliance" => "Klarer seg selv",
        "trust" => "Tillit til tjenestene",
        "helpful-help" => "Hjelpen passet",
        "clear-responsibility" => "Vet hvem som har ansvaret",
        "unintended-use" => "Støtten brukt til noe annet",
        "gratitude-debt" => "Takknemlighetsgjeld",
        "insecurity" => "Usikkerhet når støtten slutter",
        "unfair-distribution" => "Urettferdig fordeling",
        "shame" => "Skam over å få hjelp",
        _ => domain,
    };

    public static string ChangeClass(string classification) => classification switch
    {
        "improved" => "Sikker bedring",
        "deteriorated" => "Sikker forverring",
        "unchanged" => "Ingen sikker endring",
        "unclassified" => "Kan ikke vurderes",
        _ => classification,
    };

    /// <summary>A score as people read it: at most one decimal, with a comma.</summary>
    public static string Score(double score) => score.ToString("0.#", Norwegian);

    /// <summary>A change with its sign, so a fall is not read as a rise.</summary>
    public static string Change(double change) => (change > 0 ? "+" : change < 0 ? "−" : "") + Math.Abs(change).ToString("0.#", Norwegian);

    /// <summary>The bokmål half of an instrument's anchor ("Helt uenig / Completely disagree").</summary>
    public static string Anchor(string? anchor) => anchor is null ? "" : anchor.Split(" / ", 2)[0];

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
