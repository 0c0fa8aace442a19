using System.Text.Json;
using System.Text.Json.Nodes;

namespace Samskaping.IntegrationTests.Security.Fuzz;

/// <summary>
/// A plausible instance of a request body from its OpenAPI schema — every property, of its declared type, with ids
/// of the fuzzer's real resources where the name says which — for the fuzzer to break one piece at a time.
/// </summary>
internal static class SchemaSample
{
    public static JsonNode? For(ApiOperation operation, JsonElement? schema, IReadOnlyDictionary<string, string> ids, string? name = null, int depth = 0)
    {
        if (schema is not { } s || depth > 8)
        {
            return JsonValue.Create("x");
        }
        s = operation.Schemas.Resolve(s);
        if (s.ValueKind != JsonValueKind.Object)
        {
            return JsonValue.Create("x");
        }
        foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (s.TryGetProperty(combinator, out var options) && options.GetArrayLength() > 0)
            {
                var first = options.EnumerateArray().Select(operation.Schemas.Resolve).FirstOrDefault(o => TypeOf(o) != "null");
                return For(operation, first.ValueKind == JsonValueKind.Undefined ? options[0] : first, ids, name, depth + 1);
            }
        }
        if (s.TryGetProperty("enum", out var values) && values.EnumerateArray().FirstOrDefault(v => v.ValueKind != JsonValueKind.Null) is { ValueKind: not JsonValueKind.Undefined } value)
        {
            return JsonNode.Parse(value.GetRawText());
        }
        return TypeOf(s) switch
        {
            "object" => Object(operation, s, ids, depth),
            "array" => new JsonArray(For(operation, s.TryGetProperty("items", out var items) ? items : null, ids, name, depth + 1)),
            "integer" => JsonValue.Create(s.TryGetProperty("minimum", out var min) && min.TryGetInt64(out var m) ? Math.Max(m, 1) : 1),
            "number" => JsonValue.Create(100m),
            "boolean" => JsonValue.Create(false),
            "string" => JsonValue.Create(String(s, ids, name)),
            _ => JsonValue.Create("x"),
        };
    }

    /// <summary>The schema's type; for a type list such as <c>["integer", "string"]</c> the first that is not null or string.</summary>
    public static string? TypeOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out var type))
        {
            return schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out _) ? "object" : null;
        }
        if (type.ValueKind == JsonValueKind.String)
        {
            return type.GetString();
        }
        var types = type.EnumerateArray().Select(t => t.GetString()).Where(t => t != "null").ToList();
        return types.FirstOrDefault(t => t != "string") ?? types.FirstOrDefault();
    }

    private static JsonObject Object(ApiOperation operation, JsonElement schema, IReadOnlyDictionary<string, string> ids, int depth)
    {
        var result = new JsonObject();
        if (schema.TryGetProperty("properties", out var properties))
        {
            foreach (var property in properties.EnumerateObject())
            {
                result[property.Name] = For(operation, property.Value, ids, property.Name, depth + 1);
            }
        }
        return result;
    }

    private static string String(JsonElement schema, IReadOnlyDictionary<string, string> ids, string? name)
    {
        if (name is not null && ids.TryGetValue(name, out var id))
        {
            return id;
        }
        return (schema.TryGetProperty("format", out var format) ? format.GetString() : null) switch
        {
            "uuid" => Guid.CreateVersion7().ToString(),
            "date" => "2026-12-01",
            "date-time" => "2026-11-27T10:00:00Z",
            _ => "Fuzz tekst",
        };
    }
}
