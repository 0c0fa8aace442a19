using System.Text.Json.Nodes;

namespace Samskaping.Digisos;

/// <summary>
/// What NAV's reader of the feed requires beyond the schema (see Schemas/SOURCE.md): the first event is
/// <c>soknadsStatus</c> <c>MOTTATT</c>, and every <c>utbetaling</c> says whether someone else is paid
/// (<c>annenMottaker</c>; a missing one is read as "someone else" and hides the account number from the family).
/// </summary>
public static class DigisosReaderRules
{
    public static IReadOnlyList<DigisosError> Validate(JsonNode? document)
    {
        if (document is not JsonObject root || root["hendelser"] is not JsonArray events || events.Count == 0)
        {
            // Shape errors are the schema's to report.
            return [];
        }
        var errors = new List<DigisosError>();
        if (events[0] is not JsonObject first || Text(first, "type") != "soknadsStatus" || Text(first, "status") != "MOTTATT")
        {
            errors.Add(new DigisosError("/hendelser/0", "The first event must be soknadsStatus with status MOTTATT."));
        }
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i] is JsonObject e && Text(e, "type") == "utbetaling" && e["annenMottaker"] is null)
            {
                errors.Add(new DigisosError($"/hendelser/{i}/annenMottaker", "Every utbetaling must set annenMottaker (a missing one is read as paid to someone else)."));
            }
        }
        return errors;
    }

    private static string? Text(JsonObject node, string property) =>
        node[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}

/// <summary>Both judgements of a document: NAV's schema, then NAV's reader rules.</summary>
public static class DigisosDocument
{
    /// <summary>The <c>type</c> of the envelope a status document is posted in.</summary>
    public const string EnvelopeType = "no.nav.digisos.digisos.soker.v1";

    public static IReadOnlyList<DigisosError> Validate(JsonNode? document) =>
        [.. DigisosSchema.Validate(document), .. DigisosReaderRules.Validate(document)];
}
