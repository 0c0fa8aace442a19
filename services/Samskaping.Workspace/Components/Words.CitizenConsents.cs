namespace Samskaping.Workspace.Components;

/// <summary>
/// The words of "Samtykker" on Min side: what each sector, purpose and kind of data means for the family, in
/// plain bokmål, and the cases service's refusals as the family reads them.
/// </summary>
public static partial class Words
{
    public static string CitizenConsentSector(string sector) => sector switch
    {
        "oppvekst" => "Oppvekst – barnehage, skole, helsestasjon og barnevern",
        "helse-velferd" => "Helse og velferd – fastlege, psykisk helse, hjemmetjenester og sosialtjenesten",
        "kultur" => "Kultur – fritidsaktiviteter, kulturskole og bibliotek",
        "nav" => "NAV – arbeid og ytelser fra NAV",
        "frivillighet" => "Frivillighet – lag og foreninger som hjelper familien",
        _ => Sector(sector),
    };

    public static string CitizenConsentPurpose(string purpose) => purpose switch
    {
        "coordination" => "Samordning – de som hjelper dere, kan snakke sammen og lage én plan med dere",
        "grants" => "Tilskudd – kommunen kan vurdere penger til for eksempel fritidsaktiviteter",
        "outcome-measurement" => "Måling – dere svarer på spørsmål, så kommunen ser om hjelpen virker",
        "benefit-coordination" => "Ytelser fra NAV – hjelpen fra kommunen kan ses sammen med det dere får fra NAV",
        _ => Purpose(purpose),
    };

    public static string CitizenDataCategory(string category) => category switch
    {
        "contact" => "Kontaktopplysninger – navn, adresse og telefon",
        "needs" => "Behov – det dere har fortalt at dere trenger hjelp med",
        "health" => "Helse – opplysninger om helse",
        "school" => "Skole og barnehage – hvordan det går der",
        "economy" => "Økonomi – inntekt, utgifter og ytelser",
        "family" => "Familieforhold – hvem som bor sammen og hvem som er foresatt",
        _ => DataCategory(category),
    };

    /// <summary>The person a consent is about, as the family says it («Deg selv», «Cecilie (barnet ditt)»).</summary>
    public static string CitizenConsentFor(Api.CitizenConsentSubject subject) =>
        subject.Relation == "self" ? "Deg selv" : $"{subject.Name} (barnet ditt)";

    /// <summary>The cases service's consent refusals in the family's words; anything else as every form says it.</summary>
    public static string CitizenConsentRefusal(string field, string message) => message switch
    {
        _ when message.StartsWith("Only for yourself", StringComparison.Ordinal) =>
            "Du kan gi samtykke for deg selv, og for barn under 15 år som du er foresatt for i denne husstanden.",
        _ when message.Contains("consents for themselves", StringComparison.Ordinal) => "Fra 15 år gir personen samtykket selv.",
        _ when message.Contains("guardian of the child", StringComparison.Ordinal) =>
            "Bare en foresatt for barnet i husstanden kan gi samtykke for barnet.",
        _ when message.StartsWith("You are not a member", StringComparison.Ordinal) =>
            "Du er ikke med i denne husstanden. Samtykke for barnet her gis av en foresatt som er med i husstanden.",
        _ when message.StartsWith("Required", StringComparison.Ordinal) && field == "personId" => "Velg hvem samtykket gjelder.",
        _ when message.StartsWith("At least one of", StringComparison.Ordinal) => "Velg minst én.",
        _ when field == "reason" && message.StartsWith("Required", StringComparison.Ordinal) => "Skriv hvorfor du trekker samtykket tilbake.",
        _ => Api.FieldMessages.InBokmal(message),
    };

    /// <summary>
    /// Who recorded or withdrew a consent, for the workers: the family on Min side (the cases service names a citizen
    /// <c>citizen:</c> and their pseudonym, which says nothing to a person), otherwise the worker as recorded.
    /// </summary>
    public static string ConsentRecorder(string recordedBy) =>
        recordedBy.StartsWith("citizen:", StringComparison.Ordinal) ? "familien selv på Min side" : recordedBy;
}
