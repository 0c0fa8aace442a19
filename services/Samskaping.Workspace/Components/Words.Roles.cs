using System.Globalization;

namespace Samskaping.Workspace.Components;

/// <summary>Words of the analyst's reports, the privacy officer's access history and the admin's sector registry.</summary>
public static partial class Words
{
    public static string ReportDimension(string dimension) => dimension switch
    {
        "sector" => "Sektor som har hovedansvaret",
        "grant-band" => "Tilskudd utbetalt",
        "family-type" => "Familietype",
        "period" => "Kvartal",
        _ => dimension,
    };

    /// <summary>A group of a change report, as its dimension names it (sector codes, grant bands, family types, quarters).</summary>
    public static string ReportGroup(string dimension, string group) => (dimension, group) switch
    {
        ("sector", "unknown") => "Ukjent",
        ("sector", _) => Sector(group),
        (_, "none") => "Ingen tilskudd",
        (_, "under-5000") => "Under 5 000 kr",
        (_, "5000-19999") => "5 000–19 999 kr",
        (_, "20000-and-over") => "20 000 kr og mer",
        (_, "unknown") => "Ukjent",
        (_, "adults-only") => "Bare voksne",
        (_, "children-only") => "Bare barn",
        (_, "one-adult-with-children") => "Én voksen med barn",
        (_, "two-or-more-adults-with-children") => "To eller flere voksne med barn",
        ("period", _) => group.Replace("-Q", ", kvartal ", StringComparison.Ordinal),
        _ => group,
    };

    public static string OutcomeDomain(string domain) => domain switch
    {
        "life-satisfaction" => "Fornøyd med livet",
        "self-reliance" => "Klarer seg selv",
        "helpful-help" => "Hjelp som hjelper",
        "participation-activities" => "Deltar i aktiviteter",
        "clear-responsibility" => "Klart hvem som har ansvaret",
        "trust-services" => "Tillit til tjenestene",
        "gratitude-debt" => "Takknemlighetsgjeld",
        "unfair-distribution" => "Urettferdig fordeling",
        "unintended-use" => "Hjelpen brukt til noe annet",
        _ => domain,
    };

    public static string SpendingCategory(string category) => category == "uncategorised" ? "Uten kategori" : category;

    public static string ReportMonth(string month) =>
        DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)
            ? first.ToString("MMMM yyyy", Norwegian)
            : month;

    public static string ReportNumber(double value, int decimals = 1) => value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), Norwegian);

    public static string ReportShare(double? share) => share is { } s ? (s * 100).ToString("N0", Norwegian) + " %" : "skjult";

    public static string AccessTime(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Oslo).ToString("d. MMMM yyyy 'kl.' HH:mm", Norwegian);

    public static string AccessRole(string role) => role switch
    {
        "caseworker" => "saksbehandler",
        "coordinator" => "koordinator",
        "grant-approver" => "godkjenner av tilskudd",
        "analyst" => "analytiker",
        "privacy-officer" => "personvernombud",
        "admin" => "administrator",
        "service" => "en annen tjeneste i Samskaping",
        _ => role,
    };

    public static string AccessService(string service) => service switch
    {
        "cases" => "Saker",
        "coordination" => "Samordning",
        "grants" => "Tilskudd",
        "outcomes" => "Målinger",
        "benefits" => "Ytelser",
        _ => service,
    };

    public static string AccessAction(string action) => action switch
    {
        "read" => "så på",
        "list" => "så i en liste",
        "create" => "registrerte",
        "update" => "endret",
        "export" => "hentet ut",
        "read-access-log" => "så hvem som har sett opplysningene",
        "refused" => "prøvde å se, men fikk ikke tilgang til",
        _ => action,
    };

    /// <summary>Why, as the service wrote it down; a purpose without bokmål words here is shown as written (in English).</summary>
    public static string? AccessPurpose(string? purpose) => purpose switch
    {
        null or "" => null,
        "identity number lookup" => "søk etter personen med fødselsnummer",
        "privacy-review" => "personvernombudets gjennomgang",
        "person-export" => "innsyn: personen fikk utlevert sine opplysninger",
        "open case" => "åpnet saken",
        "coordination" => "samordning",
        "grants" => "tilskudd",
        "outcome-measurement" => "måling av hva hjelpen gjør",
        "my work" => "listen «Mitt arbeid»",
        "record consent" => "registrerte samtykke",
        "withdraw consent" => "samtykke trukket tilbake",
        "read consents" => "så på samtykkene",
        "record need" => "skrev ned et behov",
        "request grant" => "søkte om tilskudd",
        "read grant" => "så på et tilskudd",
        "read grant case" => "så på sakens tilskudd",
        "read coordination group" => "så på samarbeidsgruppen",
        "read relay log" => "leste stafettloggen",
        "write relay log entry" => "skrev i stafettloggen",
        "read action plan" => "så på tiltaksplanen",
        "read case timeline" => "så på tidslinjen",
        "record outcome response" => "registrerte svar på en måling",
        _ => null,
    };
}
