namespace Samskaping.Workspace.Components;

/// <summary>The words of the family's own questionnaires (Min side → Spørsmål til dere).</summary>
public static partial class Words
{
    /// <summary>Who an answer is for: «Per (deg)», «Cecilie (barnet ditt)».</summary>
    public static string AnswerFor(Api.CitizenRespondent person) =>
        $"{person.FirstName} ({(person.Relation == "self" ? "deg" : "barnet ditt")})";

    /// <summary>The sensitive subjects, as the notice names them.</summary>
    public const string SensitiveSubjects =
        "takknemlighetsgjeld, skam, om hjelpen fordeles urettferdig, usikkerhet når støtten tar slutt og om pengene er brukt til noe annet enn tenkt";

    /// <summary>Who sees what, told before the answers are sent (docs/architecture.md §8).</summary>
    public static IReadOnlyList<string> WhoSeesWhat { get; } =
    [
        "De som jobber med saken deres i kommunen, kan se svarene dine på de vanlige spørsmålene.",
        $"Spørsmålene merket «Vises ikke til de ansatte» handler om {SensitiveSubjects}. Svarene på dem ser ingen ansatte, heller ikke de som bestemmer om dere får penger. De ansatte ser bare at slike svar er holdt tilbake.",
        "Svarene brukes også i statistikk for mange familier samlet. Der kan ingen se hva du har svart.",
        "Hvis du krysser av for å dele med stafettholderen, og et svar viser at noe av dette er vanskelig, får stafettholderen (den som har hovedansvaret for saken) en oppgave om å følge det opp. Oppgaven sier hvilket tema det gjelder og hvor sterkt, men ikke det du har skrevet, og det står i sakens historikk at dette er meldt. Krysser du ikke av, får ingen beskjed.",
    ];

    public const string ShareWithLead = "Del med stafettholderen";

    public const string WithheldMark = "Vises ikke til de ansatte";

    /// <summary>The refusals a family can meet, in their words.</summary>
    public static string? AnswerRefusal(int status, string? title) => status switch
    {
        409 when title == "Already answered." => "Det er allerede svart for denne personen. Et svar kan ikke endres.",
        409 => "Skjemaet tar ikke imot svar nå.",
        404 => "Skjemaet finnes ikke lenger.",
        _ => null,
    };

    /// <summary>On the worker's measurement page: what of a response is held back and why, said, never left out silently.</summary>
    public static string Withheld(IEnumerable<string> domains, string? kind)
    {
        var about = string.Join(", ", domains.Select(d => Domain(d).ToLowerInvariant()));
        return kind == "grant-decider"
            ? $"Dette er personens egne svar. Svarene om {about} vises ikke enkeltvis til dem som avgjør tilskudd, bare i samlet statistikk."
            : $"Personen svarte selv. Svarene om {about} vises bare i samlet statistikk, ikke her.";
    }
}
