using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Samskaping.Access;
using Samskaping.ServiceDefaults;

namespace Samskaping.Cases.AccessHistory;

/// <summary>Where one other service's access log is read: the service itself, not the gateway.</summary>
public sealed class AccessLogSource
{
    public string BaseUrl { get; set; } = "";

    public int TimeoutSeconds { get; set; } = 5;
}

/// <summary>
/// <c>Cases:AccessLogSources:{service}</c>, one per other service. A person's history must come from all of them:
/// a service without an address makes the history unavailable (503), never silently shorter.
/// </summary>
public sealed class AccessLogSourcesOptions : Dictionary<string, AccessLogSource>
{
    public const string Section = "Cases:AccessLogSources";

    /// <summary>Every service that keeps an access log besides cases (docs/architecture.md §2).</summary>
    public static readonly string[] Expected = ["coordination", "grants", "outcomes", "benefits"];

    public AccessLogSourcesOptions() : base(StringComparer.OrdinalIgnoreCase)
    {
    }

    public sealed class Validator : IValidateOptions<AccessLogSourcesOptions>
    {
        public ValidateOptionsResult Validate(string? name, AccessLogSourcesOptions options)
        {
            var failures = new List<string>();
            foreach (var (service, source) in options)
            {
                if (!Expected.Contains(service, StringComparer.OrdinalIgnoreCase))
                {
                    failures.Add($"{Section}:{service}: unknown service; expected one of {string.Join(", ", Expected)}.");
                }
                if (!Uri.TryCreate(source.BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    failures.Add($"{Section}:{service}:BaseUrl must be an absolute http(s) address of the service.");
                }
                if (source.TimeoutSeconds is < 1 or > 60)
                {
                    failures.Add($"{Section}:{service}:TimeoutSeconds must be between 1 and 60.");
                }
            }
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}

/// <summary>A source's entries, or why it could not give them.</summary>
public sealed record SourceAnswer(string Service, IReadOnlyList<AccessLogRecord>? Entries, string? Failure);

/// <summary>A source's part of a person's export, or why it could not give it.</summary>
public sealed record ExportAnswer(string Service, PersonExportPart? Part, string? Failure);

/// <summary>
/// Reads the other services' access logs and their parts of a person's export over their internal, service-to-service
/// endpoints with this service's own token. A synchronous call between services, because the person's history and
/// export must be complete at the moment they are read (an event-fed copy could lag behind and show less).
/// </summary>
public sealed class AccessLogSourceClient(IHttpClientFactory httpClients, IOptionsMonitor<AccessLogSourcesOptions> options)
{
    public const string Client = "access-log-sources";

    public async Task<SourceAnswer> Query(string service, AccessLogQuery query, CancellationToken ct)
    {
        var (page, failure) = await Post<AccessLogQuery, AccessLogExportPage>(service, "access-log/query", query, ct);
        return new SourceAnswer(service, page?.Entries, failure);
    }

    /// <summary>The service's part of a person's export (<see cref="PersonDataExport"/>), or why it could not give it.</summary>
    public async Task<ExportAnswer> Export(string service, PersonExportQuery query, CancellationToken ct)
    {
        var (part, failure) = await Post<PersonExportQuery, PersonExportPart>(service, "person-export", query, ct);
        return new ExportAnswer(service, part, failure);
    }

    /// <summary>
    /// POSTs <paramref name="body"/> to <c>internal/{service}/{path}</c> of another service with this service's token:
    /// the answer, or why there is none in words for a 503 problem. The one way the cases service calls another service.
    /// </summary>
    public async Task<(TAnswer? Answer, string? Failure)> Post<TBody, TAnswer>(string service, string path, TBody body, CancellationToken ct)
        where TAnswer : class
    {
        var (answer, problem, failure) = await Relay<TBody, TAnswer>(service, path, body, ct);
        return problem is null ? (answer, failure) : (null, $"it answered {problem.Status}");
    }

    /// <summary>
    /// As <see cref="Post{TBody, TAnswer}"/>, but a refusal the other service answered with (400, 404, 409, 422 problem
    /// details) comes back as it is, for an endpoint that passes the other service's refusal on to its caller.
    /// </summary>
    public async Task<(TAnswer? Answer, HttpValidationProblemDetails? Problem, string? Failure)> Relay<TBody, TAnswer>(
        string service, string path, TBody body, CancellationToken ct)
        where TAnswer : class
    {
        if (!options.CurrentValue.TryGetValue(service, out var source))
        {
            return (null, null, "no address is configured");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(source.TimeoutSeconds));
        try
        {
            var http = httpClients.CreateClient(Client);
            var address = new Uri(new Uri(source.BaseUrl.TrimEnd('/') + "/"), $"internal/{service}/{path}");
            using var response = await http.PostAsJsonAsync(address, body, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                if (status is 400 or 404 or 409 or 422
                    && await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(timeout.Token) is { } problem)
                {
                    problem.Status = status;
                    return (null, problem, null);
                }
                return (null, null, $"it answered {status}");
            }
            var answer = await response.Content.ReadFromJsonAsync<TAnswer>(timeout.Token);
            return answer is null ? (null, null, "it answered without a body") : (answer, null, null);
        }
        catch (HttpRequestException)
        {
            return (null, null, "it could not be reached");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, null, $"it did not answer within {source.TimeoutSeconds} s");
        }
        catch (System.Text.Json.JsonException)
        {
            return (null, null, "its answer could not be read");
        }
    }
}

public static class AccessLogSourceExtensions
{
    public static IHostApplicationBuilder AddAccessLogSources(this IHostApplicationBuilder builder)
    {
        builder.AddServiceTokens("cases");
        builder.Services.AddOptions<AccessLogSourcesOptions>().BindConfiguration(AccessLogSourcesOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AccessLogSourcesOptions>, AccessLogSourcesOptions.Validator>();
        builder.Services.AddHttpClient(AccessLogSourceClient.Client, http => http.Timeout = TimeSpan.FromSeconds(65))
            .AddHttpMessageHandler<ServiceTokenHandler>();
        builder.Services.AddSingleton<AccessLogSourceClient>();
        return builder;
    }
}
