namespace Samskaping.Workspace.Components;

/// <summary>
/// The timeline's event kinds (the cases service writes them: its own changes, and the events of coordination, grants
/// and outcomes it consumes) as a sentence in bokmål. The API's own summary is English for programs, so the page
/// says what happened from the kind.
/// </summary>
public static partial class Words
{
    public static string TimelineEvent(string kind) => kind switch
    {
        "case-opened" => "Saken ble åpnet.",
        "status-changed" => "Saken fikk ny status.",
        "member-added" => "En person ble lagt til i husstanden.",
        "guardian-recorded" => "Det ble registrert hvem som er foresatt for et barn i husstanden.",
        "corrected" => "En opplysning i saken ble rettet.",
        "goal-agreed" => "Et mål ble avtalt med familien.",
        "goal-achieved" => "Et mål ble nådd.",
        "goal-abandoned" => "Et mål ble lagt bort.",
        "consent-given" => "Et samtykke ble gitt.",
        "consent-withdrawn" => "Et samtykke ble trukket tilbake.",
        "coordinator-assigned" => "En ny stafettholder tok ansvaret for saken.",
        "coordinator-handover-requested" => "Stafettholderen ba en annen om å ta over saken.",
        "sector-joined" => "En sektor ble med i saken.",
        "sector-left" => "En sektor gikk ut av saken.",
        "measure-agreed" => "Et tiltak ble avtalt.",
        "measure-completed" => "Et tiltak ble avsluttet.",
        "review-overdue" => "Evalueringen av et tiltak er ikke gjort i tide.",
        "grant-requested" => "Det ble søkt om tilskudd.",
        "grant-approved" => "Et tilskudd ble innvilget.",
        "grant-increased" => "Et tilskudd ble økt.",
        "grant-declined" => "En søknad om tilskudd ble avslått.",
        "disbursement-paid" => "Penger ble utbetalt.",
        "disbursement-stopped" => "En planlagt utbetaling ble stanset.",
        "disbursement-cancelled" => "En planlagt utbetaling ble avbrutt.",
        "measurement-completed" => "Noen i familien svarte på en måling.",
        "negative-effect-reported" => "Det ble meldt at hjelpen kan gjøre noe verre for familien.",
        _ => "Noe annet skjedde i saken.",
    };

    /// <summary>Which part of Samskaping the event comes from.</summary>
    public static string TimelineSource(string source) => source switch
    {
        "cases" => "Saken",
        "coordination" => "Samarbeid",
        "grants" => "Tilskudd",
        "outcomes" => "Målinger",
        _ => source,
    };
}
