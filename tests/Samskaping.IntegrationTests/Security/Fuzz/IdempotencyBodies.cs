using System.Text.Json.Nodes;

namespace Samskaping.IntegrationTests.Security.Fuzz;

/// <summary>
/// Two different bodies for an operation that takes an <c>Idempotency-Key</c>: valid ones for the money-moving
/// requests the walk-through makes (so the first is accepted and the replay has something to be compared with), and
/// the schema's sample with one value changed for the rest.
/// </summary>
internal static class IdempotencyBodies
{
    public static (string First, string Second) For(ApiOperation operation, IReadOnlyDictionary<string, string> ids)
    {
        var known = operation.Key switch
        {
            "POST /api/grants/funds" => Fund(),
            "POST /api/grants/funds/{fundId}/top-ups" => new JsonObject { ["amount"] = 100, ["note"] = "Tilleggsbevilgning" },
            "POST /api/grants/cases/{caseId}/grants" => new JsonObject
            {
                ["fundId"] = ids["fundId"],
                ["amount"] = 120,
                ["purpose"] = "Svømmekurs for Sara.",
                ["category"] = "leisure",
                ["payee"] = new JsonObject { ["kind"] = "family", ["name"] = "Familien Fuzz", ["accountNumber"] = "1234 56 78903" },
            },
            _ => null,
        };
        var first = known ?? SchemaSample.For(operation, operation.Body?.Schema, ids) as JsonObject ?? [];
        var second = first.DeepClone().AsObject();
        if (second.ContainsKey("amount"))
        {
            second["amount"] = 121;
        }
        else
        {
            second["__replayed"] = "another body";
            // Another text, not another date or id: the second body must still be readable, or it is a 400 before the key is looked at.
            var text = second.FirstOrDefault(p => p.Value is JsonValue v && v.TryGetValue<string>(out var s)
                && !Guid.TryParse(s, out _) && !DateOnly.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out _)
                && !DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out _));
            if (text.Key is not null)
            {
                second[text.Key] = "En annen tekst";
            }
        }
        return (first.ToJsonString(), second.ToJsonString());
    }

    private static JsonObject Fund() => new()
    {
        ["name"] = $"Replay-fondet {Guid.NewGuid():N}",
        ["owner"] = "oppvekst",
        ["periodStart"] = "2026-01-01",
        ["periodEnd"] = "2027-01-01",
        ["budget"] = 5000,
        ["approvalThreshold"] = 1000,
        ["householdCap"] = 2000,
        ["lowBalanceThreshold"] = 100,
        ["reportToBenefitSystem"] = false,
    };
}
