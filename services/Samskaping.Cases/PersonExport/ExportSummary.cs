using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Samskaping.Cases.PersonExport;

/// <summary>
/// The person's summary of their export, in plain bokmål (lang="nb"): what each service holds, what is held back and
/// why, and who has read or changed it. It is drawn from the same JSON as the machine-readable files, so the two
/// cannot say different things; every text from the data is HTML-encoded.
/// </summary>
public static class ExportSummary
{
    private static readonly TimeZoneInfo Norway = TimeZoneInfo.FindSystemTimeZoneById("Europe/Oslo");

    private static readonly Dictionary<string, (string Title, string Intro)> Services = new()
    {
        ["cases"] = ("Deg, familien og saken", "Hvem som er registrert i husstanden, saken, det dere har sagt at dere trenger og har, målene dere har avtalt, og samtykkene."),
        ["coordination"] = ("Samarbeidet rundt familien", "Hvilke sektorer som er med, hvem som har vært stafettholder (koordinator), overleveringer og stafettloggen."),
        ["grants"] = ("Penger (fleksible midler)", "Søknader om penger, vedtakene og utbetalingene."),
        ["outcomes"] = ("Svar om livskvalitet", "Svarene dine på spørsmålene om hvordan du har det, og poengene som er regnet ut av dem."),
        ["benefits"] = ("NAV og Digisos", "Statusdokumentene om saken som er sendt til NAVs system (Digisos)."),
    };

    private static readonly Dictionary<string, string> Labels = new()
    {
        ["persons"] = "Personer", ["households"] = "Husstander", ["cases"] = "Saker", ["statusChanges"] = "Endringer i sakens status",
        ["needs"] = "Det dere trenger (med egne ord)", ["resources"] = "Det dere har og får til (med egne ord)", ["goals"] = "Mål",
        ["consents"] = "Samtykker", ["groups"] = "Samarbeidsgrupper", ["sectors"] = "Sektorer",
        ["leadCoordinators"] = "Stafettholdere", ["handovers"] = "Overleveringer mellom stafettholdere", ["relayLog"] = "Stafettloggen",
        ["grants"] = "Søknader om penger", ["decisions"] = "Vedtak", ["payments"] = "Utbetalinger", ["appeals"] = "Klager",
        ["responses"] = "Svar", ["digisosDocuments"] = "Dokumenter til Digisos", ["sentDocuments"] = "Dokumenter sendt til Digisos, hver versjon",
        ["name"] = "Navn", ["birthDate"] = "Fødselsdato", ["role"] = "Rolle", ["includedAs"] = "Tatt med som", ["hasIdentityNumber"] = "Fødselsnummer registrert",
        ["status"] = "Status", ["openedAt"] = "Opprettet", ["openedBySector"] = "Opprettet av sektor", ["referralSource"] = "Henvist fra",
        ["referralReason"] = "Grunn til henvisning", ["text"] = "Tekst", ["saidBy"] = "Sagt av", ["recordedAt"] = "Registrert",
        ["recordedBy"] = "Registrert av", ["proposedBy"] = "Foreslått av", ["agreedAt"] = "Avtalt", ["fromStatus"] = "Fra", ["toStatus"] = "Til",
        ["reason"] = "Begrunnelse", ["changedAt"] = "Endret", ["validFrom"] = "Gyldig fra", ["validTo"] = "Gyldig til", ["purposes"] = "Formål",
        ["dataCategories"] = "Typer opplysninger", ["withdrawnAt"] = "Trukket tilbake", ["withdrawalReason"] = "Grunn til tilbaketrekking",
        ["sector"] = "Sektor", ["joinedAt"] = "Med fra", ["leftAt"] = "Gikk ut", ["coordinator"] = "Stafettholder", ["since"] = "Fra", ["until"] = "Til",
        ["at"] = "Tidspunkt", ["type"] = "Type", ["author"] = "Skrevet av", ["authorSector"] = "Sektor", ["note"] = "Notat",
        ["amount"] = "Beløp (kr)", ["purpose"] = "Formål", ["fund"] = "Pott", ["payeeName"] = "Mottaker", ["accountNumber"] = "Kontonummer",
        ["requestedAt"] = "Søkt", ["decidedAt"] = "Avgjort", ["declineReason"] = "Grunn til avslag", ["outcome"] = "Utfall", ["issuedAt"] = "Vedtatt",
        ["appealDeadline"] = "Klagefrist", ["dueOn"] = "Forfaller", ["paidOn"] = "Betalt", ["measurement"] = "Måling",
        ["respondentKind"] = "Hvem svarte", ["answers"] = "Svar", ["scores"] = "Poeng", ["question"] = "Spørsmål", ["value"] = "Verdi",
        ["domain"] = "Område", ["state"] = "Tilstand", ["deliveredAt"] = "Levert", ["digisosId"] = "Digisos-id", ["sent"] = "Sendt",
        ["addedBy"] = "Registrert av", ["addedAt"] = "Registrert", ["createdBy"] = "Opprettet av", ["createdAt"] = "Opprettet",
        ["openedBy"] = "Opprettet av", ["agreedBy"] = "Avtalt av", ["statusChangedAt"] = "Status endret", ["confidentiality"] = "Hvem kan lese",
        ["category"] = "Kategori", ["requestedBy"] = "Søkt av", ["requestedBySector"] = "Søkt av sektor", ["decidedBy"] = "Avgjort av",
        ["secondApprover"] = "Godkjent også av", ["receivedOn"] = "Mottatt", ["issuedBy"] = "Vedtatt av", ["paymentReference"] = "Betalingsreferanse",
        ["recordedBySector"] = "Registrert av sektor", ["withdrawnBy"] = "Trukket tilbake av", ["fromCoordinator"] = "Fra stafettholder",
        ["fromSector"] = "Fra sektor", ["toCoordinator"] = "Til stafettholder", ["toSector"] = "Til sektor", ["appellant"] = "Klager",
        ["deadline"] = "Frist", ["late"] = "For sent", ["outcomeOn"] = "Avgjort dato", ["outcomeNote"] = "Merknad",
        ["corrections"] = "Rettinger", ["field"] = "Hva som ble rettet", ["previousValue"] = "Før", ["newValue"] = "Etter",
        ["correctedBy"] = "Rettet av", ["correctedBySector"] = "Rettet av sektor", ["correctedAt"] = "Rettet",
    };

    private static readonly Dictionary<string, string> Values = new()
    {
        ["self"] = "deg selv", ["child-in-care"] = "barn under 15 år du har foreldreansvar for", ["referred"] = "henvist", ["intake"] = "kartlegging",
        ["active"] = "aktiv", ["closing"] = "avsluttes", ["closed"] = "avsluttet", ["guardian"] = "foresatt", ["parent"] = "forelder",
        ["child"] = "barn", ["youth"] = "ungdom", ["other-adult"] = "annen voksen", ["agreed"] = "avtalt", ["achieved"] = "nådd",
        ["abandoned"] = "lagt bort", ["delvis-innvilget"] = "delvis innvilget", ["avslatt"] = "avslått", ["requested"] = "søkt", ["approved"] = "innvilget", ["declined"] = "avslått", ["planned"] = "planlagt",
        ["paid"] = "betalt", ["stopped"] = "stanset", ["cancelled"] = "avlyst", ["lead"] = "stafettholder", ["contributor"] = "bidragsyter",
        ["accepted"] = "godtatt", ["ordinary"] = "alle som arbeider med saken", ["delivered"] = "levert", ["pending"] = "venter", ["family"] = "familien",
        ["baseline"] = "første måling", ["follow-up"] = "oppfølging", ["closing-measurement"] = "avslutning",
        ["read"] = "leste", ["create"] = "registrerte", ["update"] = "endret", ["list"] = "så i en liste", ["read-access-log"] = "leste innsynsloggen",
        ["refused"] = "ble avvist (fikk ikke se)", ["needs"] = "behov", ["contact"] = "kontaktopplysninger", ["health"] = "helse",
        ["school"] = "skole", ["economy"] = "økonomi", ["coordination"] = "samordning", ["grants"] = "fleksible midler",
        ["outcome-measurement"] = "måling av livskvalitet", ["benefit-coordination"] = "samordning med NAV", ["meeting"] = "møte",
        ["decision"] = "beslutning", ["measure-started"] = "tiltak startet", ["measure-ended"] = "tiltak avsluttet", ["evaluation"] = "evaluering",
        ["handover"] = "overlevering", ["note"] = "notat", ["caseworker"] = "saksbehandler", ["coordinator"] = "koordinator",
        ["grant-approver"] = "godkjenner av midler", ["privacy-officer"] = "personvernombud", ["service"] = "tjeneste (maskin)",
        ["analyst"] = "analytiker", ["admin"] = "administrator", ["worker-with-person"] = "ansatt sammen med deg",
        ["leisure"] = "fritid",
        ["household-name"] = "husstandens navn", ["member-name"] = "navn", ["member-birth-date"] = "fødselsdato", ["member-role"] = "rolle",
        ["member-guardians"] = "foresatte", ["member-identity-number"] = "fødselsnummer (vises ikke)", ["need-text"] = "behov (teksten)",
        ["resource-text"] = "ressurs (teksten)", ["goal-text"] = "mål (teksten)",
    };

    // Ids and technical fields are in the JSON files; the summary shows what a person reads.
    private static readonly HashSet<string> Hidden =
        ["id", "caseId", "householdId", "personId", "grantId", "guardians", "givenByPersonId", "corrects", "document", "version", "deliveredVersion",
         "instrumentId", "itemId", "replacesLetterId", "language", "number", "partial", "payeeKind", "organisationNumber", "changedBy",
         "subjectId"];

    public static string Html(ExportScope scope, IReadOnlyList<(string Service, JsonElement Part)> parts, DateTimeOffset now)
    {
        var persons = parts.First(p => p.Service == "cases").Part.GetProperty("data").GetProperty("persons").EnumerateArray().ToList();
        var name = persons.Where(p => p.GetProperty("personId").GetGuid() == scope.PersonId).Select(p => p.GetProperty("name").GetString()).FirstOrDefault() ?? "";
        var children = persons.Where(p => scope.Children.Contains(p.GetProperty("personId").GetGuid()))
            .Select(p => p.GetProperty("name").GetString()!).Distinct().ToList();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"nb\">\n<head><meta charset=\"utf-8\"><title>Innsyn: dette har kommunen lagret om ")
            .Append(E(name)).Append("</title>\n<style>body{font-family:sans-serif;max-width:50rem;margin:2rem auto;line-height:1.5}")
            .Append("table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2rem .4rem;text-align:left;vertical-align:top}")
            .Append("dl{border-left:3px solid #ccc;padding-left:1rem}dt{font-weight:bold}</style></head>\n<body>\n")
            .Append("<h1>Dette har kommunen lagret om ").Append(E(name)).Append("</h1>\n")
            .Append("<p>Dette er en oversikt over alle opplysningene om deg i Samskaping, laget ").Append(E(Time(now))).Append(". ")
            .Append("Du har rett til å se dem (innsyn) og til å få dem i en form du kan ta med deg til andre (dataportabilitet). ")
            .Append("De samme opplysningene ligger i filene som slutter på .json, i et format som datamaskiner kan lese.</p>\n");
        html.Append(children.Count == 0
            ? "<p>Ingen barn under 15 år er tatt med.</p>\n"
            : $"<p>Barn under 15 år som du har foreldreansvar for, er tatt med: {E(string.Join(", ", children))}. Ungdom fra 15 år ber om innsyn selv.</p>\n");
        html.Append("<p>Er noe feil? Da kan du be om å få det rettet.</p>\n");

        foreach (var (service, part) in parts)
        {
            var (title, intro) = Services[service];
            html.Append("<section>\n<h2>").Append(E(title)).Append("</h2>\n<p>").Append(E(intro)).Append("</p>\n");
            foreach (var collection in part.GetProperty("data").EnumerateObject())
            {
                html.Append("<h3>").Append(E(Label(collection.Name))).Append("</h3>\n");
                var items = collection.Value.EnumerateArray().ToList();
                if (items.Count == 0)
                {
                    html.Append("<p>Ingen.</p>\n");
                }
                foreach (var item in items)
                {
                    Item(html, item);
                }
            }
            html.Append("</section>\n");
        }

        html.Append("<section>\n<h2>Opplysninger som er holdt tilbake</h2>\n");
        var heldBack = parts.SelectMany(p => p.Part.GetProperty("heldBack").EnumerateArray()).ToList();
        if (heldBack.Count == 0)
        {
            html.Append("<p>Ingenting er holdt tilbake.</p>\n");
        }
        else
        {
            html.Append("<p>Dette finnes, men er ikke tatt med her. Grunnen står ved hver av dem.</p>\n<table><tr><th>Når</th><th>Hva</th><th>Hvorfor</th></tr>\n");
            foreach (var entry in heldBack)
            {
                html.Append("<tr><td>").Append(E(Time(entry.GetProperty("at").GetDateTimeOffset()))).Append("</td><td>")
                    .Append(E(HeldBackKind(entry.GetProperty("kind").GetString()!))).Append("</td><td>")
                    .Append(E(entry.GetProperty("reason").GetString()!)).Append("</td></tr>\n");
            }
            html.Append("</table>\n");
        }
        html.Append("</section>\n<section>\n<h2>Hvem har sett eller endret opplysningene</h2>\n");
        var log = parts.SelectMany(p => p.Part.GetProperty("accessLog").EnumerateArray().Select(e => (p.Service, Entry: e)))
            .OrderByDescending(e => e.Entry.GetProperty("at").GetDateTimeOffset()).ToList();
        html.Append("<p>Alle som har lest eller endret opplysninger om deg eller saken, nyeste først.</p>\n")
            .Append("<table><tr><th>Når</th><th>Hvem</th><th>Rolle og sektor</th><th>Hva</th><th>Hvorfor (systemets ord)</th><th>Hvor</th></tr>\n");
        foreach (var (service, entry) in log)
        {
            html.Append("<tr><td>").Append(E(Time(entry.GetProperty("at").GetDateTimeOffset()))).Append("</td><td>")
                .Append(E(entry.GetProperty("subject").GetString()!)).Append("</td><td>")
                .Append(E($"{Value(entry.GetProperty("role").GetString()!)} {entry.GetProperty("sector").GetString()}".Trim())).Append("</td><td>")
                .Append(E(Value(entry.GetProperty("action").GetString()!))).Append("</td><td>")
                .Append(E(entry.GetProperty("purpose").GetString() ?? "")).Append("</td><td>")
                .Append(E(Services[service].Title)).Append("</td></tr>\n");
        }
        html.Append("</table>\n</section>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Item(StringBuilder html, JsonElement item)
    {
        html.Append("<dl>\n");
        foreach (var field in item.EnumerateObject().Where(f => !Hidden.Contains(f.Name) && f.Value.ValueKind != JsonValueKind.Null))
        {
            html.Append("<dt>").Append(E(Label(field.Name))).Append("</dt><dd>").Append(E(Text(field.Value))).Append("</dd>\n");
        }
        html.Append("</dl>\n");
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => "ja",
        JsonValueKind.False => "nei",
        JsonValueKind.Number => value.GetDecimal().ToString("0.##", CultureInfo.GetCultureInfo("nb-NO")),
        JsonValueKind.String when value.TryGetDateTimeOffset(out var at) && value.GetString()!.Contains('T') => Time(at),
        JsonValueKind.String when DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", out var day) => day.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture),
        JsonValueKind.String => Value(value.GetString()!),
        JsonValueKind.Array => string.Join("; ", value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Object
            ? string.Join(", ", v.EnumerateObject().Where(f => !Hidden.Contains(f.Name) && f.Value.ValueKind != JsonValueKind.Null)
                .Select(f => $"{Label(f.Name)}: {Text(f.Value)}"))
            : Text(v))),
        _ => "",
    };

    private static string HeldBackKind(string kind) => kind switch
    {
        "relay-log-entry" => "Notat i stafettloggen",
        "household-member" => "Et annet medlem av husstanden",
        "need" => "Noe som ble sagt om behov",
        "resource" => "Noe som ble sagt om ressurser",
        _ => kind,
    };

    private static string Label(string key) => Labels.GetValueOrDefault(key, key);

    private static string Value(string code) => Values.GetValueOrDefault(code, code);

    private static string Time(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, Norway).ToString("dd.MM.yyyy 'kl.' HH:mm", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
