using System.Text.Json.Nodes;
using Samskaping.Digisos;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Benefits.Feed;

public sealed class DigisosSchemaTests
{
    private const string Valid = """
        {
          "version": "1.0.0",
          "avsender": { "systemnavn": "Samskaping", "systemversjon": "1.0.0" },
          "hendelser": [
            { "type": "soknadsStatus", "hendelsestidspunkt": "2026-01-15T10:00:00.000Z", "status": "MOTTATT" },
            { "type": "saksStatus", "hendelsestidspunkt": "2026-01-16T09:30:00.250Z", "referanse": "g-1", "tittel": "Fotballsko", "status": "UNDER_BEHANDLING" },
            { "type": "utbetaling", "hendelsestidspunkt": "2026-01-17T12:00:00.000Z", "utbetalingsreferanse": "d-1", "saksreferanse": "g-1",
              "status": "PLANLAGT_UTBETALING", "belop": 1200.50, "beskrivelse": "Fotballsko", "forfallsdato": "2026-02-01",
              "annenMottaker": false, "mottaker": "Kari Berg", "kontonummer": "12345678903", "utbetalingsmetode": "kontooverføring" }
          ]
        }
        """;

    private static JsonObject Document() => JsonNode.Parse(Valid)!.AsObject();

    private static JsonObject Event(JsonObject document, int index) => document["hendelser"]![index]!.AsObject();

    [Fact]
    public void A_complete_document_passes_the_schema_and_the_reader_rules() =>
        DigisosDocument.Validate(Document()).ShouldBeEmpty();

    [Fact]
    public void A_missing_version_is_named_at_the_root()
    {
        var document = Document();
        document.Remove("version");
        DigisosSchema.Validate(document).ShouldContain(e => e.Path == "" && e.Message.Contains("version"));
    }

    [Fact]
    public void A_missing_sender_is_named_at_the_root_and_a_half_sender_at_avsender()
    {
        var document = Document();
        document.Remove("avsender");
        DigisosSchema.Validate(document).ShouldContain(e => e.Path == "" && e.Message.Contains("avsender"));

        var half = Document();
        half["avsender"]!.AsObject().Remove("systemversjon");
        DigisosSchema.Validate(half).ShouldContain(e => e.Path == "/avsender" && e.Message.Contains("systemversjon"));
    }

    [Fact]
    public void A_status_outside_the_enum_is_named_at_that_status_only()
    {
        var document = Document();
        Event(document, 0)["status"] = "RECEIVED";
        var errors = DigisosSchema.Validate(document);
        errors.ShouldHaveSingleItem().Path.ShouldBe("/hendelser/0/status");
    }

    [Fact]
    public void An_account_number_of_ten_digits_is_named()
    {
        var document = Document();
        Event(document, 2)["kontonummer"] = "1234567890";
        DigisosSchema.Validate(document).ShouldHaveSingleItem().Path.ShouldBe("/hendelser/2/kontonummer");
    }

    [Theory]
    [InlineData("2026-01-15T10:00:00Z")]
    [InlineData("2026-01-15T10:00:00.000+01:00")]
    [InlineData("2026-01-15 10:00:00.000Z")]
    public void A_timestamp_without_milliseconds_or_Z_is_named(string timestamp)
    {
        var document = Document();
        Event(document, 1)["hendelsestidspunkt"] = timestamp;
        DigisosSchema.Validate(document).ShouldHaveSingleItem().Path.ShouldBe("/hendelser/1/hendelsestidspunkt");
    }

    [Fact]
    public void A_date_in_another_format_is_named()
    {
        var document = Document();
        Event(document, 2)["forfallsdato"] = "01.02.2026";
        DigisosSchema.Validate(document).ShouldHaveSingleItem().Path.ShouldBe("/hendelser/2/forfallsdato");
    }

    [Fact]
    public void An_unknown_event_type_is_named_at_its_type()
    {
        var document = Document();
        Event(document, 1)["type"] = "grantApproved";
        DigisosSchema.Validate(document).ShouldContain(e => e.Path == "/hendelser/1/type");
    }

    [Fact]
    public void A_decision_without_its_letter_fails_the_schema()
    {
        // Why the feed never sends vedtakFattet: NAV requires a reference to the stored decision letter.
        var document = Document();
        document["hendelser"]!.AsArray().Add(new JsonObject
        {
            ["type"] = "vedtakFattet", ["hendelsestidspunkt"] = "2026-01-18T10:00:00.000Z", ["saksreferanse"] = "g-1", ["utfall"] = "INNVILGET",
        });
        DigisosSchema.Validate(document).ShouldContain(e => e.Path == "/hendelser/3" && e.Message.Contains("vedtaksfil"));
    }

    [Fact]
    public void An_empty_history_fails_the_schema()
    {
        var document = Document();
        document["hendelser"] = new JsonArray();
        DigisosSchema.Validate(document).ShouldContain(e => e.Path == "/hendelser");
    }

    [Fact]
    public void The_schema_accepts_a_first_event_other_than_MOTTATT_but_NAVs_reader_does_not()
    {
        var document = Document();
        Event(document, 0)["status"] = "UNDER_BEHANDLING";
        DigisosSchema.Validate(document).ShouldBeEmpty();
        DigisosReaderRules.Validate(document).ShouldHaveSingleItem().Path.ShouldBe("/hendelser/0");
        DigisosDocument.Validate(document).ShouldHaveSingleItem().Path.ShouldBe("/hendelser/0");
    }

    [Fact]
    public void A_payment_without_annenMottaker_fails_the_reader_rules_at_that_payment()
    {
        var document = Document();
        Event(document, 2).Remove("annenMottaker");
        DigisosSchema.Validate(document).ShouldBeEmpty();
        DigisosDocument.Validate(document).ShouldHaveSingleItem().Path.ShouldBe("/hendelser/2/annenMottaker");
    }
}
