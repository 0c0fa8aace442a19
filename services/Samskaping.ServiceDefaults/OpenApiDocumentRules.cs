using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Hosting;
using Microsoft.OpenApi;

namespace Samskaping.ServiceDefaults;

/// <summary>
/// What every service's document says about the whole API, so it passes the OWASP lint
/// (tools/openapi-lint/.spectral.yaml): where it is served, for whom, and its tags in a stable order.
/// </summary>
internal sealed class ApiInventoryTransformer(IHostEnvironment environment) : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        // The framework writes the address the process happens to listen on (plain http on a chosen port). Callers
        // reach every service through the gateway, on the same origin as this document (TLS ends at the ingress); the
        // internal operations only at the service itself, which serves their document.
        var internalOnly = context.DocumentName == ApiGroups.InternalDocument;
        document.Servers =
        [
            new OpenApiServer
            {
                Url = "/",
                Description = internalOnly
                    ? $"This service itself in the {Environment()} deployment, for the other Samskaping services inside the cluster: the gateway never routes /internal/."
                    : $"The Samskaping gateway of this {Environment()} deployment: the same origin that serves this document (https outside local development).",
                Extensions = new Dictionary<string, IOpenApiExtension>
                {
                    // The public document is for the municipality's own staff and services through the gateway; not a
                    // public open-data API, but documented for all of its callers (false: documentation tools show it).
                    ["x-internal"] = new JsonNodeExtension(JsonValue.Create(internalOnly)),
                },
            },
        ];
        document.Info ??= new OpenApiInfo();
        document.Info.Description ??= internalOnly
            ? $"{document.Info.Title}, internal operations: for other Samskaping services with a service token only, at the service's own address. "
                + "Errors are RFC 9457 problem details."
            : $"{document.Info.Title}: part of Samskaping, the municipality's platform for coordinated services to families. "
                + "Every operation needs a bearer token and is rate limited per user (429 with Retry-After). Errors are RFC 9457 "
                + "problem details; a case outside your sector's participation and consent answers 404.";
        if (document.Tags is { Count: > 1 } tags)
        {
            document.Tags = new SortedSet<OpenApiTag>(tags, Comparer<OpenApiTag>.Create((a, b) => string.CompareOrdinal(a.Name, b.Name)));
        }
        return Task.CompletedTask;
    }

    // Which environment the document comes from (OWASP API9: an inventory names its environments).
    private string Environment() =>
        environment.IsDevelopment() ? "local development"
        : environment.IsProduction() ? "production"
        : environment.EnvironmentName;
}

/// <summary>
/// Per operation: the 429 of the per-user rate limit with its Retry-After header (only where the limit applies),
/// the 503 with Retry-After and the 500 problem every process can answer (<see cref="ProblemExceptionHandler"/>), and a description for each id
/// in the path.
/// </summary>
internal sealed class OperationProblemsTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Responses ??= [];
        var problem = ProblemContent(operation);
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (problem is not null && metadata.OfType<EnableRateLimitingAttribute>().Any() && !operation.Responses.ContainsKey("429"))
        {
            operation.Responses["429"] = WaitAndRetry(problem,
                "Too many requests from this user in a short time (per-user token bucket, also at the gateway). Wait for Retry-After.");
        }
        if (problem is not null && !operation.Responses.ContainsKey("503"))
        {
            operation.Responses["503"] = WaitAndRetry(problem,
                "The service cannot reach its database for the moment (restart, failover, no free connection). Wait for Retry-After.");
        }
        if (problem is not null && !operation.Responses.ContainsKey("500"))
        {
            operation.Responses["500"] = new OpenApiResponse
            {
                Description = "Something failed on the server's side. Nothing was changed; the problem carries a traceId, never internals.",
                Content = problem,
            };
        }
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.In == ParameterLocation.Path && string.IsNullOrEmpty(parameter.Description) && parameter.Schema?.Format == "uuid")
            {
                parameter.Description = $"The {Subject(parameter.Name!, context.Description.RelativePath)}'s id (a UUID).";
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>A problem answer that carries a Retry-After header (seconds).</summary>
    private static OpenApiResponse WaitAndRetry(Dictionary<string, OpenApiMediaType> problem, string description) => new()
    {
        Description = description,
        Content = problem,
        Headers = new Dictionary<string, IOpenApiHeader>
        {
            ["Retry-After"] = new OpenApiHeader
            {
                Description = "Seconds to wait before trying again.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0", Maximum = "3600" },
            },
        },
    };

    // The problem-details content the operation already declares for 401 (every API group declares it).
    private static Dictionary<string, OpenApiMediaType>? ProblemContent(OpenApiOperation operation) =>
        operation.Responses!.TryGetValue("401", out var unauthorized) && unauthorized.Content is { Count: > 0 } content
            ? new Dictionary<string, OpenApiMediaType>(content)
            : null;

    // caseId → "case", householdId → "household"; a bare {id} is named by the path segment before it (cases → case).
    private static string Subject(string name, string? path)
    {
        if (name.Length > 2 && name.EndsWith("Id", StringComparison.Ordinal))
        {
            return name[..^2];
        }
        var segments = (path ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.FindIndex(segments, s => s.StartsWith("{" + name, StringComparison.Ordinal));
        var before = at > 0 ? segments[at - 1] : "resource";
        return before.EndsWith('s') ? before[..^1] : before;
    }
}

/// <summary>
/// Writes <see cref="System.ComponentModel.DataAnnotations.AllowedValuesAttribute"/> on a request property or
/// parameter as the schema's <c>enum</c> (the framework maps length and range attributes itself, but not this one).
/// The attribute only documents: the endpoint's own validation checks the same values.
/// </summary>
internal sealed class AllowedValuesSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var attributes = context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(System.ComponentModel.DataAnnotations.AllowedValuesAttribute), inherit: true)
            ?? (context.ParameterDescription?.ParameterDescriptor as Microsoft.AspNetCore.Mvc.Infrastructure.IParameterInfoParameterDescriptor)?.ParameterInfo
                .GetCustomAttributes(typeof(System.ComponentModel.DataAnnotations.AllowedValuesAttribute), inherit: true)
            ?? [];
        var allowed = attributes.OfType<System.ComponentModel.DataAnnotations.AllowedValuesAttribute>().FirstOrDefault();
        if (allowed is null)
        {
            return Task.CompletedTask;
        }
        // A list of allowed strings describes the list's items.
        var target = schema.Type?.HasFlag(JsonSchemaType.Array) == true && schema.Items is OpenApiSchema items ? items : schema;
        target.Enum = [.. allowed.Values.OfType<string>().Select(v => (JsonNode)JsonValue.Create(v))];
        return Task.CompletedTask;
    }
}

/// <summary>
/// Puts the string type back into the schema of every string, list of strings and map of lists of strings, and of
/// every point in time. The JSON options carry converters for these (<see cref="RequestText.NoNulStrings"/>, which
/// refuses NUL and lone surrogates, and <see cref="RequestTimes.OffsetRequired"/>), and the schema generator
/// describes a value with a custom converter as "anything": without this, strings would lose their type, string
/// arrays their <c>items</c> and times their <c>date-time</c>, and the lint's string rules would silently stop
/// applying. Runs before the other schema transformers.
/// </summary>
internal sealed class ConvertedStringSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(string) && schema.Type is null)
        {
            schema.Type = JsonSchemaType.String | (IsNullable(context) ? JsonSchemaType.Null : 0);
        }
        else if ((Nullable.GetUnderlyingType(type) ?? type) == typeof(DateTimeOffset) && schema.Type is null)
        {
            schema.Type = JsonSchemaType.String | (type == typeof(DateTimeOffset) ? 0 : JsonSchemaType.Null);
            schema.Format = "date-time";
        }
        else if (context.JsonTypeInfo.ElementType == typeof(string) && schema.Type?.HasFlag(JsonSchemaType.Array) == true)
        {
            if (schema.Items is null)
            {
                schema.Items = new OpenApiSchema { Type = JsonSchemaType.String };
            }
            else if (schema.Items is OpenApiSchema { Type: null } items)
            {
                items.Type = JsonSchemaType.String;
            }
        }
        return Task.CompletedTask;
    }

    private static bool IsNullable(OpenApiSchemaTransformerContext context) =>
        context.JsonPropertyInfo?.AttributeProvider is System.Reflection.PropertyInfo property
        && new System.Reflection.NullabilityInfoContext().Create(property).ReadState == System.Reflection.NullabilityState.Nullable;
}
