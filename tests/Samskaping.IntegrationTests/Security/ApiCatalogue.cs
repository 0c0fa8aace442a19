using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Samskaping.IntegrationTests.EndToEnd;

namespace Samskaping.IntegrationTests.Security;

/// <summary>
/// Every operation of the API, read from the OpenAPI documents the gateway serves for each service
/// (<c>/openapi/{service}.json</c>) — the inventory an outside caller sees, not a list kept by hand — and from each
/// service's internal document (<c>/openapi/internal.json</c> at the service itself), so the service-to-service
/// operations are walked too (through the gateway they must be 404). The security tests walk it, so an operation added
/// later is covered without anyone remembering to add it.
/// </summary>
public sealed partial class ApiCatalogue
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    private ApiCatalogue(IReadOnlyList<ApiOperation> operations) => Operations = operations;

    public IReadOnlyList<ApiOperation> Operations { get; }

    /// <summary>
    /// Reads every service's public document through the gateway, anonymously, as any client would, and its internal
    /// document from the service itself.
    /// </summary>
    public static async Task<ApiCatalogue> Load(SystemFixture system)
    {
        var operations = new List<ApiOperation>();
        foreach (var service in SystemFixture.ServiceNames)
        {
            operations.AddRange(Read(service, await Document(system, service)));
            operations.AddRange(Read(service, await Document(system, service, internalOnly: true)));
        }
        return new ApiCatalogue(operations);
    }

    /// <summary>
    /// A service's public document as the gateway serves it (<c>/openapi/{service}.json</c>), or with
    /// <paramref name="internalOnly"/> its internal one, from the service's own address.
    /// </summary>
    public static async Task<JsonElement> Document(SystemFixture system, string service, bool internalOnly = false)
    {
        using var client = internalOnly ? new HttpClient { BaseAddress = system.Address(service) } : system.Anonymous();
        var response = await client.GetAsync(internalOnly ? "/openapi/internal.json" : $"/openapi/{service}.json");
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"No {(internalOnly ? "internal" : "public")} OpenAPI document for {service}: {(int)response.StatusCode}.");
        }
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>The operations of one document; public so unit-level checks can feed a document directly.</summary>
    public static IEnumerable<ApiOperation> Read(string service, JsonElement document)
    {
        var schemas = new SchemaResolver(document);
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var shared = path.Value.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
            foreach (var method in Methods)
            {
                if (!path.Value.TryGetProperty(method, out var operation))
                {
                    continue;
                }
                var parameters = shared
                    .Concat(operation.TryGetProperty("parameters", out var own) ? own.EnumerateArray() : [])
                    .Select(schemas.Resolve)
                    .Select(parameter => new ApiParameter(
                        parameter.GetProperty("name").GetString()!,
                        parameter.GetProperty("in").GetString()!,
                        parameter.TryGetProperty("required", out var required) && required.GetBoolean(),
                        parameter.TryGetProperty("schema", out var schema) ? schemas.Resolve(schema) : null))
                    .ToList();
                ApiBody? body = null;
                if (operation.TryGetProperty("requestBody", out var requestBody))
                {
                    requestBody = schemas.Resolve(requestBody);
                    var content = requestBody.GetProperty("content").EnumerateObject().First();
                    body = new ApiBody(
                        content.Name,
                        requestBody.TryGetProperty("required", out var required) && required.GetBoolean(),
                        content.Value.TryGetProperty("schema", out var schema) ? schemas.Resolve(schema) : null);
                }
                var responses = operation.TryGetProperty("responses", out var r)
                    ? r.EnumerateObject().Select(x => x.Name).ToList()
                    : [];
                yield return new ApiOperation(
                    service,
                    method.ToUpperInvariant(),
                    path.Name,
                    operation.TryGetProperty("operationId", out var id) ? id.GetString() : null,
                    operation.TryGetProperty("summary", out var summary) ? summary.GetString() : null,
                    operation.TryGetProperty("description", out var description) ? description.GetString() : null,
                    parameters,
                    body,
                    responses,
                    schemas);
            }
        }
    }

    /// <summary>Follows local <c>$ref</c>s (<c>#/components/...</c>) of one document.</summary>
    public sealed class SchemaResolver(JsonElement document)
    {
        public JsonElement Resolve(JsonElement element)
        {
            for (var depth = 0; depth < 32; depth++)
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("$ref", out var reference))
                {
                    return element;
                }
                element = Find(reference.GetString()!);
            }
            throw new InvalidOperationException("A $ref chain in the OpenAPI document is longer than 32 links.");
        }

        private JsonElement Find(string reference)
        {
            if (!reference.StartsWith("#/", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Only local references are expected, not {reference}.");
            }
            var node = document;
            foreach (var segment in reference[2..].Split('/'))
            {
                var name = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                if (!node.TryGetProperty(name, out node))
                {
                    throw new InvalidOperationException($"The OpenAPI document has no {reference}.");
                }
            }
            return node;
        }
    }

    [GeneratedRegex(@"\{([^}:]+)(:[^}]*)?\}")]
    internal static partial Regex PathParameter();
}

/// <summary>One operation of one service, as its OpenAPI document describes it.</summary>
public sealed record ApiOperation(
    string Service,
    string Method,
    string PathTemplate,
    string? OperationId,
    string? Summary,
    string? Description,
    IReadOnlyList<ApiParameter> Parameters,
    ApiBody? Body,
    IReadOnlyList<string> Responses,
    ApiCatalogue.SchemaResolver Schemas)
{
    /// <summary>"GET /api/cases/{id}" — how the tests and the policy table name an operation.</summary>
    public string Key => $"{Method} {PathTemplate}";

    /// <summary>
    /// A service-to-service endpoint (<c>/internal/…</c>): documented so the inventory is complete, but the gateway
    /// never routes it, so from outside it is 404 for everyone.
    /// </summary>
    public bool IsInternal => PathTemplate.StartsWith("/internal/", StringComparison.Ordinal);

    public IEnumerable<string> PathParameterNames =>
        ApiCatalogue.PathParameter().Matches(PathTemplate).Select(m => m.Groups[1].Value);

    /// <summary>Whether the document asks for an <c>Idempotency-Key</c> header (the money-moving POSTs).</summary>
    public bool TakesIdempotencyKey =>
        Parameters.Any(p => p.In == "header" && string.Equals(p.Name, "Idempotency-Key", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The path with its parameters filled in; values are escaped as one path segment each. Every path parameter
    /// must have a value, so a test never sends a literal <c>{id}</c> by mistake.
    /// </summary>
    public string Path(IReadOnlyDictionary<string, string> values) =>
        ApiCatalogue.PathParameter().Replace(PathTemplate, m =>
            values.TryGetValue(m.Groups[1].Value, out var value)
                ? Uri.EscapeDataString(value)
                : throw new ArgumentException($"No value for path parameter {m.Groups[1].Value} of {Key}.", nameof(values)));

    public override string ToString() => Key;
}

/// <summary>A path, query or header parameter; <see cref="Schema"/> has its <c>$ref</c> resolved.</summary>
public sealed record ApiParameter(string Name, string In, bool Required, JsonElement? Schema);

/// <summary>A request body: its media type, whether it is required, and its schema (resolved).</summary>
public sealed record ApiBody(string ContentType, bool Required, JsonElement? Schema);
