using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Samskaping.IntegrationTests.Infrastructure;

namespace Samskaping.IntegrationTests.Security.Fuzz;

/// <summary>Turns a <see cref="FuzzRequest"/> into the HTTP request the gateway receives.</summary>
internal sealed class FuzzHttp(IReadOnlyDictionary<string, string> ids, long bodyLimit)
{
    private const string Placeholder = "\u0001fuzz-raw\u0001";
    private static readonly string[] AllRoles = ["caseworker", "coordinator", "grant-approver", "analyst", "admin", "privacy-officer"];
    private static readonly string[] OtherSectors = ["kultur", "nav", "frivillighet"];

    private static readonly string[] HostileSectors = ["' OR 1=1 --", "oppvekst\u0000", "../../admin", "OPPVEKST"];
    private static readonly string[] HostileRoles = ["admin' --", "Admin", "caseworker coordinator", "</script>"];
    private static readonly string[] HostileSubjects = ["'; DROP TABLE x; --", "kari\u202e", "${jndi:ldap://x/a}", new string('s', 2_000)];
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ConcurrentDictionary<string, string> _tokens = new();

    public HttpRequestMessage Build(FuzzRequest request)
    {
        var operation = request.Operation;
        var path = ApiCatalogue.PathParameter().Replace(operation.PathTemplate, m => request.Path.First(p => p.Name == m.Groups[1].Value).Raw);
        if (request.Query.Count > 0)
        {
            path += "?" + string.Join("&", request.Query.Select(q => q.Name.StartsWith(FuzzRequest.RawQuery)
                ? $"{Uri.EscapeDataString(q.Name[1..])}={q.Value}"
                : $"{Uri.EscapeDataString(q.Name)}={Uri.EscapeDataString(q.Value)}"));
        }
        var message = new HttpRequestMessage(new HttpMethod(operation.Method), new Uri(path, UriKind.Relative));
        Authorize(message, request);
        if (request.SendsBody)
        {
            message.Content = Content(request);
        }
        FuzzHeaders.Add(message, request);
        return message;
    }

    private void Authorize(HttpRequestMessage message, FuzzRequest request)
    {
        var roles = AllowedRoles(request.Operation);
        var role = roles[request.CallerPick % roles.Length];
        var secondSector = request.CallerPick / 7 % 3 == 0 && role is "caseworker" or "coordinator";
        var (sector, subject) = role switch
        {
            "caseworker" or "coordinator" => secondSector ? ("helse-velferd", "hanne") : ("oppvekst", "kari"),
            "grant-approver" => ("oppvekst", "ola"),
            _ => ("oppvekst", $"{role}-fuzz"),
        };
        string? token = request.Caller switch
        {
            Caller.Allowed => Token(sector, role, subject),
            Caller.OtherSector => Token(OtherSectors[request.CallerPick % OtherSectors.Length], role, $"outsider-{role}"),
            Caller.Anonymous => null,
            Caller.Expired => Cached("expired", () => Tokens.For(sector, role, subject, expires: DateTime.UtcNow.AddMinutes(-30))),
            Caller.WrongAudience => Cached("audience", () => Tokens.For(sector, role, subject, audience: "someone-else")),
            Caller.WrongIssuer => Cached("issuer", () => Tokens.For(sector, role, subject, issuer: "https://attacker.example")),
            Caller.WrongSignature => Cached("signature", () => Tokens.For(sector, role, subject, signingKey: Convert.ToBase64String(new byte[32]))),
            Caller.Garbage => new[] { "x.y.z", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.", "' OR 1=1 --", new string('A', 5_000) }[request.CallerPick % 4],
            Caller.HostileClaims => Cached("hostile" + request.CallerPick % 4, () => Tokens.For(
                HostileSectors[request.CallerPick % 4], HostileRoles[request.CallerPick / 4 % 4], subject: HostileSubjects[request.CallerPick / 16 % 4])),
            Caller.TwoAuthorizations => Token(sector, role, subject),
            _ => null,
        };
        if (token is null)
        {
            return;
        }
        if (request.Caller == Caller.Garbage && request.CallerPick % 2 == 1)
        {
            message.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String("admin:admin"u8));
            return;
        }
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (request.Caller == Caller.TwoAuthorizations)
        {
            message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Token("oppvekst", "admin", "admin-fuzz"));
        }
    }

    private string Token(string sector, string role, string subject) => Cached($"{sector}|{role}|{subject}", () => Tokens.For(sector, role, subject));

    private string Cached(string key, Func<string> make) => _tokens.GetOrAdd(key, _ => make());

    /// <summary>The roles the operation's policies let in, read from what its document says ("Authorization: policy …").</summary>
    private static string[] AllowedRoles(ApiOperation operation)
    {
        var text = operation.Description ?? "";
        var sets = new List<string[]>();
        foreach (var (policy, roles) in new (string, string[])[]
        {
            ("policy case-worker", ["caseworker", "coordinator"]),
            ("policy sector-staff", ["caseworker", "coordinator", "grant-approver"]),
            ("policy grant-approver", ["grant-approver"]),
            ("policy analyst", ["analyst"]),
            ("policy admin", ["admin"]),
            ("policy privacy-officer", ["privacy-officer"]),
        })
        {
            if (text.Contains(policy, StringComparison.Ordinal))
            {
                sets.Add(roles);
            }
        }
        if (sets.Count == 0)
        {
            return AllRoles;
        }
        var both = sets.Aggregate((a, b) => [.. a.Intersect(b)]);
        return both.Length > 0 ? both : [.. sets.SelectMany(s => s).Distinct()];
    }

    private ByteArrayContent Content(FuzzRequest request)
    {
        var (text, bytes) = Body(request);
        var content = bytes is not null ? new ByteArrayContent(bytes) : new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        FuzzHeaders.SetContentType(content, request);
        return content;
    }

    private (string Text, byte[]? Bytes) Body(FuzzRequest request)
    {
        var choice = request.Body;
        var schema = request.Operation.Body?.Schema;
        var sample = SchemaSample.For(request.Operation, schema, ids) ?? JsonValue.Create("x");
        var properties = Properties(request.Operation, schema, sample);
        (JsonObject Parent, string Name, string? Type)? pick = properties.Count == 0 ? null : properties[choice.Pick % properties.Count];
        var strings = properties.Where(p => p.Type == "string").ToList();
        (JsonObject Parent, string Name, string? Type)? pickString = strings.Count == 0 ? pick : strings[choice.Pick % strings.Count];
        var arrays = properties.Where(p => p.Type == "array").ToList();
        var numbers = properties.Where(p => p.Type is "number" or "integer").ToList();
        string? raw = null;

        switch (choice.Kind)
        {
            case BodyKind.WrongType when pick is { } p:
                p.Parent[p.Name] = Wrong(p.Type, choice.Variant);
                break;
            case BodyKind.WrongType:
                sample = choice.Variant % 2 == 0 ? new JsonArray(1, 2) : JsonValue.Create(42);
                break;
            case BodyKind.MissingRequired when pick is { } p:
                p.Parent.Remove(p.Name);
                break;
            case BodyKind.ExtraProperty when sample is JsonObject o:
                o[choice.Variant % 3 == 0 ? "__proto__" : choice.Variant % 3 == 1 ? "isAdmin" : FuzzRequest.Shorten(choice.Text, 60)] =
                    choice.Variant % 2 == 0 ? JsonValue.Create(choice.Text) : new JsonObject { ["role"] = "admin", ["status"] = "paid" };
                break;
            case BodyKind.HostileString when pickString is { } p:
                p.Parent[p.Name] = choice.Text;
                break;
            case BodyKind.HugeString when pickString is { } p:
                p.Parent[p.Name] = string.Concat(Enumerable.Repeat(choice.Variant % 2 == 0 ? "æøå" : "x", 5_000 + choice.Variant % 200_000 / 3));
                break;
            case BodyKind.RawString when pickString is { } p:
                p.Parent[p.Name] = Placeholder;
                raw = HostileValues.RawJsonStrings[choice.Variant % HostileValues.RawJsonStrings.Length];
                break;
            case BodyKind.RawString:
                return (HostileValues.RawJsonStrings[choice.Variant % HostileValues.RawJsonStrings.Length], null);
            case BodyKind.DeepNesting:
                var depth = new[] { 65, 200, 1_000, 10_000 }[choice.Variant % 4];
                raw = choice.Variant / 4 % 2 == 0
                    ? new string('[', depth) + new string(']', depth)
                    : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
                if (pick is { } deep)
                {
                    deep.Parent[deep.Name] = Placeholder;
                }
                else
                {
                    return (raw, null);
                }
                break;
            case BodyKind.Broken:
                var json = sample.ToJsonString();
                return (new[]
                {
                    json[..(json.Length / 2)],
                    json.TrimEnd('}') + ",}",
                    json.Replace('"', '\''),
                    "/* comment */ " + json,
                    "{\"amount\": NaN, \"x\": Infinity}",
                    json + json,
                    "householdName=Berg&need=hjelp",
                    "{\"unterminated\": \"abc",
                    "\u00ff\u00fe{}",
                }[choice.Variant % 9], choice.Variant % 9 == 8 ? [0xff, 0xfe, 0x7b, 0x7d] : null);
            case BodyKind.NotAnObject:
                return (new[] { "[]", "\"just a string\"", "42", "true", "null" }[choice.Variant % 5], null);
            case BodyKind.Empty:
                return ("", null);
            case BodyKind.OverLimit:
                return ($"{{\"text\": \"{new string('x', (int)bodyLimit + 1_024 + choice.Variant % 4_096)}\"}}", null);
            case BodyKind.NullItem when arrays.Count > 0:
                var list = arrays[choice.Pick % arrays.Count];
                var item = list.Parent[list.Name] is JsonArray { Count: > 0 } items ? items[0]?.DeepClone() : null;
                list.Parent[list.Name] = choice.Variant % 2 == 0 ? new JsonArray((JsonNode?)null) : new JsonArray(item, null);
                break;
            case BodyKind.NullItem when pick is { } p:
                p.Parent[p.Name] = null;
                break;
            case BodyKind.NumberAtLimit when (numbers.Count > 0 ? numbers[choice.Pick % numbers.Count] : pick) is { } p:
                p.Parent[p.Name] = Placeholder;
                raw = HostileValues.BoundaryNumbers[choice.Variant % HostileValues.BoundaryNumbers.Length];
                break;
            case BodyKind.DuplicateKey when sample is JsonObject o && pickString is { } p:
                var text = sample.ToJsonString();
                return ("{" + JsonSerializer.Serialize(p.Name) + ":" + JsonSerializer.Serialize(choice.Text) + "," + text[1..], null);
            default:
                break;
        }
        var serialized = sample.ToJsonString(Relaxed);
        return (raw is null ? serialized : serialized.Replace(JsonSerializer.Serialize(Placeholder, Relaxed), raw, StringComparison.Ordinal), null);
    }

    /// <summary>A value no reader can bind to a property of <paramref name="type"/>: an object or array where a scalar belongs, and so on.</summary>
    private static JsonNode Wrong(string? type, int variant) => type switch
    {
        "object" => variant % 3 == 0 ? new JsonArray(1) : variant % 3 == 1 ? JsonValue.Create("an object was expected") : JsonValue.Create(7),
        "array" => variant % 2 == 0 ? new JsonObject { ["0"] = 1 } : JsonValue.Create(7),
        _ => variant % 2 == 0 ? new JsonObject { ["$gt"] = "" } : new JsonArray("' OR 1=1 --"),
    };

    /// <summary>Every typed property of the sample, nested ones included, with the object that holds it.</summary>
    private static List<(JsonObject Parent, string Name, string? Type)> Properties(ApiOperation operation, JsonElement? schema, JsonNode sample)
    {
        var result = new List<(JsonObject, string, string?)>();
        Walk(schema, sample, 0);
        return result;

        void Walk(JsonElement? s, JsonNode? node, int depth)
        {
            if (s is not { } element || depth > 6)
            {
                return;
            }
            element = operation.Schemas.Resolve(element);
            foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
            {
                if (element.TryGetProperty(combinator, out var options) && options.GetArrayLength() > 0)
                {
                    var first = options.EnumerateArray().Select(operation.Schemas.Resolve).FirstOrDefault(o => SchemaSample.TypeOf(o) != "null");
                    element = first.ValueKind == JsonValueKind.Undefined ? operation.Schemas.Resolve(options[0]) : first;
                }
            }
            if (node is JsonArray array && array.Count > 0 && element.TryGetProperty("items", out var items))
            {
                Walk(items, array[0], depth + 1);
            }
            if (node is not JsonObject o || !element.TryGetProperty("properties", out var properties))
            {
                return;
            }
            foreach (var property in properties.EnumerateObject())
            {
                var type = SchemaSample.TypeOf(operation.Schemas.Resolve(property.Value));
                if (type is not null)
                {
                    result.Add((o, property.Name, type));
                }
                Walk(property.Value, o[property.Name], depth + 1);
            }
        }
    }
}
