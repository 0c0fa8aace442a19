using Samskaping.Contracts.Grants;
using static Samskaping.Grants.Letters.NorwegianFormat;

namespace Samskaping.Grants.Letters;

/// <summary>
/// The words of a decision letter (enkeltvedtak), in plain language, with what forvaltningsloven §§ 24–27 requires of
/// it: the decision, its reasons and the rules it rests on (§§ 24–25), the right to appeal with the deadline and
/// where to send it, and the right to see the case's documents (§ 27). Separate from the PDF so every sentence can be
/// checked without rendering.
/// </summary>
public static class LetterText
{
    public static LetterContent Build(LetterFacts facts)
    {
        var w = facts.Language == LetterLanguages.Nynorsk ? LetterWording.Nynorsk : LetterWording.Bokmal;
        var granted = facts.Outcome is DecisionOutcomes.Granted or DecisionOutcomes.PartlyGranted;

        var header = new List<string>
        {
            facts.Municipality,
            $"{w.Dated} {Date(facts.IssuedOn)}",
            $"{w.OurReference}: {facts.GrantId}",
            $"{w.LetterId}: {facts.LetterId}",
        };
        var sections = new List<LetterSection>();
        if (facts.Replaces is { } replaced)
        {
            sections.Add(new LetterSection(null, [w.ReplacesLetter(Date(replaced.IssuedOn), replaced.Id)]));
        }
        sections.Add(new LetterSection(w.DecisionHeading, [facts.Outcome switch
        {
            DecisionOutcomes.Granted => w.Granted(Kroner(facts.GrantedAmount), facts.FundName),
            DecisionOutcomes.PartlyGranted => w.PartlyGranted(Kroner(facts.GrantedAmount), Kroner(facts.RequestedAmount), facts.FundName),
            DecisionOutcomes.Refused => w.Refused(facts.FundName),
            DecisionOutcomes.Dismissed => w.Dismissed,
            _ => throw new ArgumentOutOfRangeException(nameof(facts), facts.Outcome, "Not a decision outcome."),
        }]));
        sections.Add(new LetterSection(w.AskedForHeading, [w.YouWrote(facts.Purpose), w.YouAskedFor(Kroner(facts.RequestedAmount))]));
        if (granted)
        {
            sections.Add(new LetterSection(w.PaymentHeading,
                [.. facts.Payments.Select(p => w.Payment(Kroner(p.Amount), facts.PayeeName, Date(p.DueOn)))]));
        }
        sections.Add(new LetterSection(w.ReasonsHeading, [facts.Reasons ?? w.GrantedReasons]));
        sections.Add(new LetterSection(w.LegalBasisHeading, [w.LegalBasis(facts.LegalBasis)]));
        sections.Add(new LetterSection(w.AppealHeading,
        [
            w.AppealRight(Date(facts.ReceivedOn), Date(facts.AppealDeadline)),
            w.AppealHow(facts.AppealTo),
            w.AppealNext,
        ]));
        sections.Add(new LetterSection(w.DocumentsHeading, [w.Documents]));
        sections.Add(new LetterSection(w.DecidedByHeading,
        [
            facts.DecidedBy switch
            {
                [var alone] => w.DecidedAlone(alone),
                [var first, var second] => w.DecidedByTwo(first, second),
                _ => throw new ArgumentOutOfRangeException(nameof(facts), "A decision is made by one person, or by two above the threshold."),
            },
            w.NoSignature,
        ]));
        return new LetterContent(w.Title, header, sections);
    }
}

/// <summary>The sentences of a letter in one written standard. Bokmål addresses the family as "dere", nynorsk as "de".</summary>
public sealed record LetterWording(
    string Title,
    string Dated,
    string OurReference,
    string LetterId,
    Func<string, Guid, string> ReplacesLetter,
    string DecisionHeading,
    Func<string, string, string> Granted,
    Func<string, string, string, string> PartlyGranted,
    Func<string, string> Refused,
    string Dismissed,
    string AskedForHeading,
    Func<string, string> YouWrote,
    Func<string, string> YouAskedFor,
    string PaymentHeading,
    Func<string, string, string, string> Payment,
    string ReasonsHeading,
    string GrantedReasons,
    string LegalBasisHeading,
    Func<string, string> LegalBasis,
    string AppealHeading,
    Func<string, string, string> AppealRight,
    Func<string, string> AppealHow,
    string AppealNext,
    string DocumentsHeading,
    string Documents,
    string DecidedByHeading,
    Func<string, string> DecidedAlone,
    Func<string, string, string> DecidedByTwo,
    string NoSignature)
{
    public static LetterWording Bokmal { get; } = new(
        Title: "Vedtak om tilskudd",
        Dated: "Dato:",
        OurReference: "Vår referanse",
        LetterId: "Brev-ID",
        ReplacesLetter: (date, id) => $"Dette vedtaket erstatter vedtaket av {date} (brev-ID {id}).",
        DecisionHeading: "Vedtak",
        Granted: (amount, fund) => $"Dere får {amount} i tilskudd fra {fund}.",
        PartlyGranted: (amount, asked, fund) => $"Dere får {amount} i tilskudd fra {fund}. Dere søkte om {asked}, så dere får mindre enn dere søkte om.",
        Refused: fund => $"Dere får ikke tilskudd fra {fund} til det dere søkte om.",
        Dismissed: "Vi har avvist søknaden. Det betyr at vi ikke har vurdert om dere kan få tilskudd.",
        AskedForHeading: "Det dere søkte om",
        YouWrote: purpose => $"Dere skrev: «{purpose}»",
        YouAskedFor: amount => $"Dere søkte om {amount}.",
        PaymentHeading: "Utbetaling",
        Payment: (amount, payee, date) => $"{amount} blir betalt til {payee} {date}.",
        ReasonsHeading: "Begrunnelse",
        GrantedReasons: "Dere får det dere søkte om. Vi har lagt vekt på det dere selv har fortalt om hva dere trenger, og beløpet er innenfor reglene for fondet.",
        LegalBasisHeading: "Lovgrunnlag",
        LegalBasis: basis => $"Vedtaket er gjort etter {basis}.",
        AppealHeading: "Dere kan klage",
        AppealRight: (received, deadline) =>
            $"Dere kan klage på vedtaket. Fristen er tre uker fra dere fikk vedtaket. Vi regner med at dere fikk det {received}, " +
            $"så klagen må ha kommet fram til oss senest {deadline}.",
        AppealHow: to => $"Send klagen til {to}. Skriv hva dere klager på og hvorfor. Dere kan få hjelp av oss til å klage.",
        AppealNext: "Hvis vi ikke endrer vedtaket, sender vi klagen til statsforvalteren, som avgjør den (forvaltningsloven §§ 28–33).",
        DocumentsHeading: "Dere kan se dokumentene i saken",
        Documents: "Dere har rett til å se dokumentene i saken (forvaltningsloven §§ 18 og 19). Spør oss, så får dere dem.",
        DecidedByHeading: "Hvem har fattet vedtaket",
        DecidedAlone: name => $"Vedtaket er fattet av {name}.",
        DecidedByTwo: (first, second) =>
            $"Vedtaket er fattet av {first} og godkjent av {second}. To må godkjenne når beløpet er over fondets grense.",
        NoSignature: "Brevet er godkjent elektronisk og har derfor ingen underskrift.");

    public static LetterWording Nynorsk { get; } = new(
        Title: "Vedtak om tilskot",
        Dated: "Dato:",
        OurReference: "Vår referanse",
        LetterId: "Brev-ID",
        ReplacesLetter: (date, id) => $"Dette vedtaket erstattar vedtaket av {date} (brev-ID {id}).",
        DecisionHeading: "Vedtak",
        Granted: (amount, fund) => $"De får {amount} i tilskot frå {fund}.",
        PartlyGranted: (amount, asked, fund) => $"De får {amount} i tilskot frå {fund}. De søkte om {asked}, så de får mindre enn de søkte om.",
        Refused: fund => $"De får ikkje tilskot frå {fund} til det de søkte om.",
        Dismissed: "Vi har avvist søknaden. Det tyder at vi ikkje har vurdert om de kan få tilskot.",
        AskedForHeading: "Det de søkte om",
        YouWrote: purpose => $"De skreiv: «{purpose}»",
        YouAskedFor: amount => $"De søkte om {amount}.",
        PaymentHeading: "Utbetaling",
        Payment: (amount, payee, date) => $"{amount} blir betalt til {payee} {date}.",
        ReasonsHeading: "Grunngiving",
        GrantedReasons: "De får det de søkte om. Vi har lagt vekt på det de sjølve har fortalt om kva de treng, og beløpet er innanfor reglane for fondet.",
        LegalBasisHeading: "Lovgrunnlag",
        LegalBasis: basis => $"Vedtaket er gjort etter {basis}.",
        AppealHeading: "De kan klage",
        AppealRight: (received, deadline) =>
            $"De kan klage på vedtaket. Fristen er tre veker frå de fekk vedtaket. Vi reknar med at de fekk det {received}, " +
            $"så klaga må ha kome fram til oss seinast {deadline}.",
        AppealHow: to => $"Send klaga til {to}. Skriv kva de klagar på og kvifor. De kan få hjelp av oss til å klage.",
        AppealNext: "Dersom vi ikkje endrar vedtaket, sender vi klaga til statsforvaltaren, som avgjer ho (forvaltningslova §§ 28–33).",
        DocumentsHeading: "De kan sjå dokumenta i saka",
        Documents: "De har rett til å sjå dokumenta i saka (forvaltningslova §§ 18 og 19). Spør oss, så får de dei.",
        DecidedByHeading: "Kven har gjort vedtaket",
        DecidedAlone: name => $"Vedtaket er gjort av {name}.",
        DecidedByTwo: (first, second) =>
            $"Vedtaket er gjort av {first} og godkjent av {second}. To må godkjenne når beløpet er over grensa i fondet.",
        NoSignature: "Brevet er godkjent elektronisk og har difor inga underskrift.");
}
