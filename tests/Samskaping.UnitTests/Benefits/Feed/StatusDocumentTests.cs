using System.Text.Json.Nodes;
using Samskaping.Benefits.Feed;
using Samskaping.Contracts.Cases;
using Samskaping.Contracts.Grants;
using Samskaping.Digisos;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Benefits.Feed;

public sealed class StatusDocumentTests
{
    private static readonly Guid CaseId = Guid.NewGuid();
    private static readonly Guid FundId = Guid.NewGuid();
    private static readonly DateTimeOffset Opened = new(2026, 1, 15, 10, 0, 0, TimeSpan.Zero);

    private static GrantRequested Request(Guid grantId, DateTimeOffset at, bool report = true, string purpose = "Fotballsko") =>
        new(CaseId, grantId, Guid.NewGuid(), FundId, 1200m, purpose, null, "kari", "oppvekst", at, report);

    private static DisbursementPlanned Plan(Guid grantId, Guid id, DateTimeOffset at, string payeeKind = PayeeKinds.Family, string? org = null) =>
        new(CaseId, grantId, id, FundId, 1200.5m, new DateOnly(2026, 2, 1), payeeKind,
            payeeKind == PayeeKinds.ThirdParty ? "Byåsen IL" : "Kari Berg", "1234.56.78903", org, "Fotballsko", true, at);

    private static FeedFacts Facts(
        DateTimeOffset? opened = null,
        IReadOnlyList<GrantRequested>? requests = null,
        IReadOnlyList<GrantDeclined>? declines = null,
        IReadOnlyList<DisbursementPlanned>? planned = null,
        IReadOnlyList<DisbursementPaid>? paid = null,
        IReadOnlyList<DisbursementStopped>? stopped = null,
        IReadOnlyList<DisbursementCancelled>? cancelled = null,
        IReadOnlyList<CaseClosed>? closings = null,
        IReadOnlyList<CaseStatusChanged>? changes = null,
        IReadOnlyList<DecisionLetterIssued>? letters = null,
        IReadOnlyList<AppealReceived>? appeals = null) =>
        new(CaseId, opened, changes ?? [], closings ?? [], requests ?? [], [], declines ?? [], planned ?? [], paid ?? [], stopped ?? [], cancelled ?? [],
            letters ?? [], appeals ?? []);

    private static DecisionLetterIssued Letter(Guid grantId, string outcome, DateTimeOffset at, Guid? replaces = null) =>
        new(CaseId, grantId, Guid.CreateVersion7(), outcome, 1200m, "nb", new string('a', 64), DateOnly.FromDateTime(at.UtcDateTime).AddDays(21), replaces, "kari", at);

    private static JsonObject Build(FeedFacts facts) => StatusDocument.Build(facts, "Samskaping", "1.2.3").ShouldNotBeNull();

    private static List<string> Kinds(JsonObject document) =>
        document["hendelser"]!.AsArray().Select(e => $"{e!["type"]}:{e["status"]}").ToList();

    [Fact]
    public void A_case_without_a_reported_grant_has_no_document()
    {
        StatusDocument.Build(Facts(Opened), "Samskaping", "1").ShouldBeNull();
        StatusDocument.Build(Facts(Opened, requests: [Request(Guid.NewGuid(), Opened.AddDays(1), report: false)]), "Samskaping", "1").ShouldBeNull();
    }

    [Fact]
    public void One_planned_payment_gives_received_in_progress_the_grant_and_the_payment_and_is_valid()
    {
        var grant = Guid.NewGuid();
        var disbursement = Guid.NewGuid();
        var document = Build(Facts(Opened, [Request(grant, Opened.AddDays(1))], planned: [Plan(grant, disbursement, Opened.AddDays(2))]));

        DigisosDocument.Validate(document).ShouldBeEmpty();
        document["version"]!.GetValue<string>().ShouldBe("1.0.0");
        document["avsender"]!["systemnavn"]!.GetValue<string>().ShouldBe("Samskaping");
        Kinds(document).ShouldBe(["soknadsStatus:MOTTATT", "soknadsStatus:UNDER_BEHANDLING", "saksStatus:UNDER_BEHANDLING", "utbetaling:PLANLAGT_UTBETALING"]);
        document["hendelser"]![0]!["hendelsestidspunkt"]!.GetValue<string>().ShouldBe("2026-01-15T10:00:00.000Z");
        var matter = document["hendelser"]![2]!;
        matter["referanse"]!.GetValue<string>().ShouldBe(grant.ToString());
        matter["tittel"]!.GetValue<string>().ShouldBe("Fotballsko");
        var payment = document["hendelser"]![3]!;
        payment["utbetalingsreferanse"]!.GetValue<string>().ShouldBe(disbursement.ToString());
        payment["saksreferanse"]!.GetValue<string>().ShouldBe(grant.ToString());
        payment["belop"]!.GetValue<decimal>().ShouldBe(1200.5m);
        payment["forfallsdato"]!.GetValue<string>().ShouldBe("2026-02-01");
        payment["annenMottaker"]!.GetValue<bool>().ShouldBeFalse();
        payment["mottaker"]!.GetValue<string>().ShouldBe("Kari Berg");
        payment["kontonummer"]!.GetValue<string>().ShouldBe("12345678903");
        payment["utbetalingsmetode"]!.GetValue<string>().ShouldBe("kontooverføring");
        payment["utbetalingsdato"].ShouldBeNull();
    }

    [Fact]
    public void Timestamps_are_UTC_with_exactly_milliseconds()
    {
        StatusDocument.Timestamp(new DateTimeOffset(2026, 1, 15, 11, 0, 0, 123, TimeSpan.FromHours(1)).AddTicks(4567))
            .ShouldBe("2026-01-15T10:00:00.123Z");
    }

    [Fact]
    public void A_paid_payment_carries_its_payment_date_after_the_plan()
    {
        var grant = Guid.NewGuid();
        var d = Guid.NewGuid();
        var document = Build(Facts(Opened, [Request(grant, Opened.AddDays(1))], planned: [Plan(grant, d, Opened.AddDays(2))],
            paid: [new DisbursementPaid(CaseId, grant, d, FundId, 1200.5m, new DateOnly(2026, 2, 3), "ref-1", Opened.AddDays(19))]));

        DigisosDocument.Validate(document).ShouldBeEmpty();
        Kinds(document)[^1].ShouldBe("utbetaling:UTBETALT");
        document["hendelser"]![4]!["utbetalingsdato"]!.GetValue<string>().ShouldBe("2026-02-03");
    }

    [Fact]
    public void A_paid_payment_whose_plan_has_not_arrived_waits_for_it()
    {
        var grant = Guid.NewGuid();
        var d = Guid.NewGuid();
        var paid = new DisbursementPaid(CaseId, grant, d, FundId, 1200.5m, new DateOnly(2026, 2, 3), "ref-1", Opened.AddDays(19));
        var early = Build(Facts(Opened, [Request(grant, Opened.AddDays(1))], paid: [paid]));
        Kinds(early).ShouldNotContain(k => k.StartsWith("utbetaling", StringComparison.Ordinal));
        DigisosDocument.Validate(early).ShouldBeEmpty();

        var complete = Build(Facts(Opened, [Request(grant, Opened.AddDays(1))], planned: [Plan(grant, d, Opened.AddDays(2))], paid: [paid]));
        Kinds(complete).ShouldBe(["soknadsStatus:MOTTATT", "soknadsStatus:UNDER_BEHANDLING", "saksStatus:UNDER_BEHANDLING", "utbetaling:PLANLAGT_UTBETALING", "utbetaling:UTBETALT"]);
    }

    [Fact]
    public void A_payment_whose_grant_request_has_not_arrived_waits_for_it()
    {
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        var document = Build(Facts(Opened, [Request(first, Opened.AddDays(1))], planned: [Plan(second, Guid.NewGuid(), Opened.AddDays(2))]));
        Kinds(document).ShouldNotContain(k => k.StartsWith("utbetaling", StringComparison.Ordinal));
    }

    [Fact]
    public void Stopped_and_cancelled_payments_are_reported_as_such()
    {
        var grant = Guid.NewGuid();
        var stopped = Guid.NewGuid();
        var cancelled = Guid.NewGuid();
        var document = Build(Facts(Opened, [Request(grant, Opened.AddDays(1))],
            planned: [Plan(grant, stopped, Opened.AddDays(2)), Plan(grant, cancelled, Opened.AddDays(2))],
            stopped: [new DisbursementStopped(CaseId, grant, stopped, FundId, 1200.5m, "case closed", Opened.AddDays(5))],
            cancelled: [new DisbursementCancelled(CaseId, grant, cancelled, FundId, 1200.5m, "wrong amount", Opened.AddDays(4))],
            closings: [new CaseClosed(CaseId, "done", "kari", Opened.AddDays(5))]));

        DigisosDocument.Validate(document).ShouldBeEmpty();
        Kinds(document)[^3..].ShouldBe(["utbetaling:ANNULLERT", "utbetaling:STOPPET", "soknadsStatus:FERDIGBEHANDLET"]);
    }

    [Fact]
    public void A_third_party_payment_names_the_organisation_and_says_someone_else_is_paid()
    {
        var grant = Guid.NewGuid();
        var document = Build(Facts(Opened, [Request(grant, Opened.AddDays(1))],
            planned: [Plan(grant, Guid.NewGuid(), Opened.AddDays(2), PayeeKinds.ThirdParty, "974760673")]));

        DigisosDocument.Validate(document).ShouldBeEmpty();
        var payment = document["hendelser"]![3]!;
        payment["annenMottaker"]!.GetValue<bool>().ShouldBeTrue();
        payment["mottaker"]!.GetValue<string>().ShouldBe("974760673");
    }

    [Fact]
    public void A_declined_grant_is_no_longer_treated_as_in_progress()
    {
        var grant = Guid.NewGuid();
        var document = Build(Facts(Opened, [Request(grant, Opened.AddDays(1))],
            declines: [new GrantDeclined(CaseId, grant, FundId, "outside the fund's purpose", "ola", Opened.AddDays(2))]));

        DigisosDocument.Validate(document).ShouldBeEmpty();
        Kinds(document)[^1].ShouldBe("saksStatus:BEHANDLES_IKKE");
        document["hendelser"]![3]!["referanse"]!.GetValue<string>().ShouldBe(grant.ToString());
    }

    [Fact]
    public void Several_grants_each_get_their_own_matter_and_only_reported_ones_appear()
    {
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        var hidden = Guid.NewGuid();
        var document = Build(Facts(Opened,
            [Request(a, Opened.AddDays(1), purpose: "Fotballsko"), Request(b, Opened.AddDays(3), purpose: "Korpsavgift"), Request(hidden, Opened.AddDays(2), report: false)],
            planned: [Plan(a, Guid.NewGuid(), Opened.AddDays(4)), Plan(b, Guid.NewGuid(), Opened.AddDays(5))]));

        DigisosDocument.Validate(document).ShouldBeEmpty();
        var matters = document["hendelser"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "saksStatus").Select(e => e!["referanse"]!.GetValue<string>()).ToList();
        matters.ShouldBe([a.ToString(), b.ToString()]);
        Kinds(document).Count(k => k == "soknadsStatus:UNDER_BEHANDLING").ShouldBe(1);
    }

    [Fact]
    public void Before_the_opening_is_known_MOTTATT_is_at_the_first_reported_request()
    {
        var grant = Guid.NewGuid();
        var document = Build(Facts(opened: null, [Request(grant, Opened.AddDays(1))]));
        document["hendelser"]![0]!["status"]!.GetValue<string>().ShouldBe("MOTTATT");
        document["hendelser"]![0]!["hendelsestidspunkt"]!.GetValue<string>().ShouldBe("2026-01-16T10:00:00.000Z");
        DigisosDocument.Validate(document).ShouldBeEmpty();
    }

    [Fact]
    public void The_same_facts_in_any_order_give_the_same_document()
    {
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        var da = Guid.NewGuid();
        var db = Guid.NewGuid();
        GrantRequested[] requests = [Request(a, Opened.AddDays(1)), Request(b, Opened.AddDays(1))];
        DisbursementPlanned[] planned = [Plan(a, da, Opened.AddDays(2)), Plan(b, db, Opened.AddDays(2))];
        DisbursementPaid[] paid = [new(CaseId, a, da, FundId, 1200.5m, new DateOnly(2026, 2, 1), "r", Opened.AddDays(3)), new(CaseId, b, db, FundId, 1200.5m, new DateOnly(2026, 2, 1), "r", Opened.AddDays(3))];

        var forwards = Build(Facts(Opened, requests, planned: planned, paid: paid));
        var backwards = Build(Facts(Opened, requests.Reverse().ToList(), planned: planned.Reverse().ToList(), paid: paid.Reverse().ToList()));
        JsonNode.DeepEquals(forwards, backwards).ShouldBeTrue();
    }

    [Fact]
    public void A_reopened_case_is_in_progress_again_after_it_was_finished()
    {
        var grant = Guid.NewGuid();
        var document = Build(Facts(Opened, [Request(grant, Opened.AddDays(1))],
            closings: [new CaseClosed(CaseId, "done", "kari", Opened.AddDays(5))],
            changes: [new CaseStatusChanged(CaseId, CaseStatuses.Closed, CaseStatuses.Active, "new need", "kari", "oppvekst", Opened.AddDays(6))]));
        Kinds(document)[^2..].ShouldBe(["soknadsStatus:FERDIGBEHANDLET", "soknadsStatus:UNDER_BEHANDLING"]);
    }

    [Fact]
    public void An_account_number_that_is_not_eleven_digits_makes_the_document_invalid_where_it_is()
    {
        var grant = Guid.NewGuid();
        var plan = Plan(grant, Guid.NewGuid(), Opened.AddDays(2)) with { AccountNumber = "1234567890" };
        var document = Build(Facts(Opened, [Request(grant, Opened.AddDays(1))], planned: [plan]));
        DigisosDocument.Validate(document).ShouldHaveSingleItem().Path.ShouldBe("/hendelser/3/kontonummer");
    }

    [Theory]
    [InlineData(DecisionOutcomes.Granted, "INNVILGET")]
    [InlineData(DecisionOutcomes.PartlyGranted, "DELVIS_INNVILGET")]
    [InlineData(DecisionOutcomes.Refused, "AVSLATT")]
    [InlineData(DecisionOutcomes.Dismissed, "AVVIST")]
    public void A_decision_letter_is_a_valid_vedtakFattet_with_the_letter_as_its_document_and_NAVs_outcome(string outcome, string utfall)
    {
        var grant = Guid.NewGuid();
        var letter = Letter(grant, outcome, Opened.AddDays(2));
        var document = Build(Facts(Opened, [Request(grant, Opened.AddDays(1))], letters: [letter]));

        DigisosDocument.Validate(document).ShouldBeEmpty();
        Kinds(document).ShouldBe(["soknadsStatus:MOTTATT", "soknadsStatus:UNDER_BEHANDLING", "saksStatus:UNDER_BEHANDLING", "vedtakFattet:"]);
        var decision = document["hendelser"]![3]!;
        decision["saksreferanse"]!.GetValue<string>().ShouldBe(grant.ToString());
        decision["utfall"]!.GetValue<string>().ShouldBe(utfall);
        decision["vedtaksfil"]!["referanse"]!["type"]!.GetValue<string>().ShouldBe("dokumentlager");
        decision["vedtaksfil"]!["referanse"]!["id"]!.GetValue<string>().ShouldBe(letter.LetterId.ToString());
    }

    [Fact]
    public void A_refusal_with_a_letter_is_a_decision_not_a_matter_left_untreated()
    {
        var grant = Guid.NewGuid();
        var declined = new GrantDeclined(CaseId, grant, FundId, "Nei", "kari", Opened.AddDays(2));
        var document = Build(Facts(Opened, [Request(grant, Opened.AddDays(1))], declines: [declined],
            letters: [Letter(grant, DecisionOutcomes.Refused, Opened.AddDays(2))]));

        Kinds(document).ShouldNotContain("saksStatus:BEHANDLES_IKKE");
        Kinds(document).ShouldContain("vedtakFattet:");
    }

    [Fact]
    public void An_appeal_puts_the_matter_under_consideration_again_and_a_reversal_is_a_second_decision()
    {
        var grant = Guid.NewGuid();
        var refusal = Letter(grant, DecisionOutcomes.Refused, Opened.AddDays(2));
        var appeal = new AppealReceived(CaseId, grant, Guid.NewGuid(), refusal.LetterId, new DateOnly(2026, 1, 20), new DateOnly(2026, 2, 9), false, "kari", Opened.AddDays(5));
        var reversal = Letter(grant, DecisionOutcomes.Granted, Opened.AddDays(8), refusal.LetterId);
        var document = Build(Facts(Opened, [Request(grant, Opened.AddDays(1))], letters: [reversal, refusal], appeals: [appeal]));

        DigisosDocument.Validate(document).ShouldBeEmpty();
        Kinds(document).ShouldBe(["soknadsStatus:MOTTATT", "soknadsStatus:UNDER_BEHANDLING", "saksStatus:UNDER_BEHANDLING", "vedtakFattet:",
            "saksStatus:UNDER_BEHANDLING", "vedtakFattet:"]);
        document["hendelser"]![5]!["utfall"]!.GetValue<string>().ShouldBe("INNVILGET");
        document["hendelser"]![5]!["vedtaksfil"]!["referanse"]!["id"]!.GetValue<string>().ShouldBe(reversal.LetterId.ToString());
    }
}
