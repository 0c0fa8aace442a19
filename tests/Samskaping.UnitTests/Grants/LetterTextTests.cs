using Samskaping.Contracts.Grants;
using Samskaping.Grants.Letters;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Grants;

public sealed class LetterTextTests
{
    private static readonly Guid LetterId = Guid.Parse("019a0000-0000-7000-8000-000000000001");
    private static readonly Guid GrantId = Guid.Parse("019a0000-0000-7000-8000-000000000002");

    private static LetterFacts Facts(string outcome, string language = LetterLanguages.Bokmal, string? reasons = null, IReadOnlyList<string>? deciders = null,
        ReplacedLetter? replaces = null) => new(
        LetterId, GrantId, outcome, language, "Trondheim kommune", "Fritidsfondet", "Vi vil at Sara skal kunne spille fotball igjen.",
        RequestedAmount: 2_500m, GrantedAmount: outcome == DecisionOutcomes.PartlyGranted ? 1_500m : outcome == DecisionOutcomes.Granted ? 2_500m : 0m,
        PayeeName: "Byåsen IL",
        Payments: outcome is DecisionOutcomes.Granted ? [new LetterPayment(1, 1_250m, new DateOnly(2026, 12, 7)), new LetterPayment(2, 1_250m, new DateOnly(2027, 1, 7))]
            : outcome is DecisionOutcomes.PartlyGranted ? [new LetterPayment(1, 1_500m, new DateOnly(2026, 12, 7))] : [],
        Reasons: reasons, LegalBasis: "sosialtjenesteloven § 19 og kommunens retningslinjer for fondet",
        IssuedOn: new DateOnly(2026, 12, 4), ReceivedOn: new DateOnly(2026, 12, 4), AppealDeadline: AppealDeadline.From(new DateOnly(2026, 12, 4)),
        AppealTo: "Trondheim kommune, Enhet for oppvekst", DecidedBy: deciders ?? ["Kari Nordmann"], Replaces: replaces);

    private static string Text(LetterFacts facts) => LetterText.Build(facts).PlainText().Replace('\u00A0', ' ');

    [Fact]
    public void A_full_approval_says_the_amount_the_payments_the_purpose_in_the_familys_words_and_standard_reasons()
    {
        var text = Text(Facts(DecisionOutcomes.Granted));

        text.ShouldStartWith("Vedtak om tilskudd");
        text.ShouldContain("Dere får 2 500,00 kroner i tilskudd fra Fritidsfondet.");
        text.ShouldContain("Dere skrev: «Vi vil at Sara skal kunne spille fotball igjen.»");
        text.ShouldContain("1 250,00 kroner blir betalt til Byåsen IL 7. desember 2026.");
        text.ShouldContain("1 250,00 kroner blir betalt til Byåsen IL 7. januar 2027.");
        text.ShouldContain("Begrunnelse");
        text.ShouldContain("Vi har lagt vekt på det dere selv har fortalt");
        text.ShouldContain("Vedtaket er gjort etter sosialtjenesteloven § 19 og kommunens retningslinjer for fondet.");
        text.ShouldContain($"Brev-ID: {LetterId}");
    }

    [Fact]
    public void A_partial_approval_says_what_was_granted_of_what_was_asked_and_why()
    {
        var text = Text(Facts(DecisionOutcomes.PartlyGranted, reasons: "Fondet dekker treningsavgift, ikke utstyr."));

        text.ShouldContain("Dere får 1 500,00 kroner i tilskudd fra Fritidsfondet. Dere søkte om 2 500,00 kroner, så dere får mindre enn dere søkte om.");
        text.ShouldContain("Fondet dekker treningsavgift, ikke utstyr.");
        text.ShouldContain("1 500,00 kroner blir betalt til Byåsen IL 7. desember 2026.");
    }

    [Fact]
    public void A_refusal_gives_its_reasons_and_promises_no_payment()
    {
        var text = Text(Facts(DecisionOutcomes.Refused, reasons: "Fondet er brukt opp for i år."));

        text.ShouldContain("Dere får ikke tilskudd fra Fritidsfondet til det dere søkte om.");
        text.ShouldContain("Fondet er brukt opp for i år.");
        text.ShouldNotContain("Utbetaling");
        text.ShouldContain("Dere søkte om 2 500,00 kroner.");
    }

    [Fact]
    public void A_dismissal_says_the_application_was_not_considered()
    {
        var text = Text(Facts(DecisionOutcomes.Dismissed, reasons: "Søknaden gjelder ikke noe fondet dekker."));

        text.ShouldContain("Vi har avvist søknaden. Det betyr at vi ikke har vurdert om dere kan få tilskudd.");
        text.ShouldContain("Søknaden gjelder ikke noe fondet dekker.");
    }

    [Theory]
    [InlineData(DecisionOutcomes.Granted)]
    [InlineData(DecisionOutcomes.PartlyGranted)]
    [InlineData(DecisionOutcomes.Refused)]
    [InlineData(DecisionOutcomes.Dismissed)]
    public void Every_letter_states_the_appeal_right_with_its_deadline_and_address_and_the_right_to_see_the_documents(string outcome)
    {
        var text = Text(Facts(outcome, reasons: "Grunn."));

        // Received Friday 4 December 2026; three weeks on is Christmas Day, then a weekend.
        text.ShouldContain("Vi regner med at dere fikk det 4. desember 2026, så klagen må ha kommet fram til oss senest 28. desember 2026.");
        text.ShouldContain("Send klagen til Trondheim kommune, Enhet for oppvekst.");
        text.ShouldContain("statsforvalteren");
        text.ShouldContain("Dere har rett til å se dokumentene i saken (forvaltningsloven §§ 18 og 19).");
        text.ShouldContain("Vedtaket er fattet av Kari Nordmann.");
    }

    [Fact]
    public void Above_the_threshold_the_letter_names_both_who_decided()
    {
        var text = Text(Facts(DecisionOutcomes.Granted, deciders: ["Kari Nordmann", "Ola Hansen"]));

        text.ShouldContain("Vedtaket er fattet av Kari Nordmann og godkjent av Ola Hansen.");
    }

    [Fact]
    public void A_letter_that_replaces_another_names_it()
    {
        var replaced = Guid.Parse("019a0000-0000-7000-8000-000000000009");
        var text = Text(Facts(DecisionOutcomes.Granted, replaces: new ReplacedLetter(replaced, new DateOnly(2026, 11, 2))));

        text.ShouldContain($"Dette vedtaket erstatter vedtaket av 2. november 2026 (brev-ID {replaced}).");
    }

    [Fact]
    public void In_nynorsk_the_whole_letter_is_nynorsk()
    {
        var text = Text(Facts(DecisionOutcomes.Refused, LetterLanguages.Nynorsk, reasons: "Fondet er brukt opp.", deciders: ["Kari Nordmann", "Ola Hansen"]));

        text.ShouldStartWith("Vedtak om tilskot");
        text.ShouldContain("De får ikkje tilskot frå Fritidsfondet til det de søkte om.");
        text.ShouldContain("Grunngiving");
        text.ShouldContain("så klaga må ha kome fram til oss seinast 28. desember 2026.");
        text.ShouldContain("De har rett til å sjå dokumenta i saka (forvaltningslova §§ 18 og 19).");
        text.ShouldContain("Vedtaket er gjort av Kari Nordmann og godkjent av Ola Hansen.");
        text.ShouldNotContain("Dere");
        text.ShouldNotContain("ikke");
    }

    [Fact]
    public void Amounts_keep_their_digits_together_on_a_line() =>
        NorwegianFormat.Kroner(1_234_567.5m).ShouldBe("1\u00A0234\u00A0567,50\u00A0kroner");
}
