using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http.Json;
using Samskaping.ServiceDefaults;

namespace Samskaping.Benefits.People;

/// <summary>A household member as the cases service knows them; the identity number is null when none is recorded.</summary>
public sealed record HouseholdMember(Guid PersonId, string Role, DateOnly BirthDate, string? IdentityNumber);

/// <summary>A household a person belongs to, and that household's cases.</summary>
public sealed record PersonMembership(Guid PersonId, Guid HouseholdId, IReadOnlyList<Guid> CaseIds);

/// <summary>The person a case is known by on the NAV side (søker).</summary>
public sealed record Applicant(Guid PersonId, string IdentityNumber);

/// <summary>The cases service could not be reached or failed; the caller should answer "try again later".</summary>
public sealed class CasesUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

public sealed class CasesDirectoryOptions
{
    public const string Section = "Benefits:Cases";

    /// <summary>The cases service itself (not the gateway): its internal endpoints are not routed by the gateway.</summary>
    [Required, Url] public string BaseUrl { get; set; } = "";

    [Range(1, 60)] public int TimeoutSeconds { get; set; } = 5;
}

/// <summary>
/// Benefits' only source of identity numbers: the cases service's internal, service-to-service endpoints, called
/// with this service's own token. Nothing here is cached or stored; every read is access-logged by cases with the
/// purpose given.
/// </summary>
public sealed class CasesDirectory(HttpClient http)
{
    public const string Client = "cases-internal";

    /// <summary>Null when there is no such household. Cases logs the read as for <paramref name="onBehalfOf"/>.</summary>
    public async Task<IReadOnlyList<HouseholdMember>?> Members(Guid householdId, string purpose, OnBehalfOf onBehalfOf, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Get, $"internal/cases/households/{householdId}/members", purpose);
        onBehalfOf.AddTo(request.Headers);
        using var response = await Send(request, ct);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await Read<List<HouseholdMember>>(response, ct);
    }

    /// <summary>Null when the case is unknown or its household has no adult with an identity number yet.</summary>
    public async Task<Applicant?> Applicant(Guid caseId, string purpose, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Get, $"internal/cases/cases/{caseId}/applicant", purpose);
        using var response = await Send(request, ct);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await Read<Applicant>(response, ct);
    }

    /// <summary>Every household (with its cases) the person belongs to; empty when the person is unknown.</summary>
    public async Task<IReadOnlyList<PersonMembership>> Resolve(string identityNumber, string purpose, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Post, "internal/cases/persons/resolve", purpose);
        request.Content = JsonContent.Create(new { identityNumber });
        using var response = await Send(request, ct);
        if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            throw new ArgumentException("The cases service refused the identity number as invalid.", nameof(identityNumber));
        }
        return await Read<List<PersonMembership>>(response, ct);
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string purpose)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Access-Purpose", purpose);
        return request;
    }

    private async Task<HttpResponseMessage> Send(HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            var response = await http.SendAsync(request, ct);
            if ((int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                var status = (int)response.StatusCode;
                response.Dispose();
                throw new CasesUnavailableException($"The cases service answered {status}.");
            }
            return response;
        }
        catch (HttpRequestException e)
        {
            throw new CasesUnavailableException("The cases service could not be reached.", e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new CasesUnavailableException("The cases service did not answer in time.", e);
        }
    }

    private static async Task<T> Read<T>(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new CasesUnavailableException($"The cases service answered {(int)response.StatusCode} unexpectedly.");
        }
        return await response.Content.ReadFromJsonAsync<T>(ct)
            ?? throw new CasesUnavailableException("The cases service answered without a body.");
    }
}

public static class CasesDirectoryExtensions
{
    public static IHostApplicationBuilder AddCasesDirectory(this IHostApplicationBuilder builder)
    {
        builder.AddServiceTokens("benefits");
        builder.Services.AddOptions<CasesDirectoryOptions>()
            .BindConfiguration(CasesDirectoryOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHttpClient<CasesDirectory>(CasesDirectory.Client, (sp, http) =>
            {
                var options = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<CasesDirectoryOptions>>().Value;
                http.BaseAddress = new Uri(options.BaseUrl.TrimEnd('/') + "/");
                http.Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
            })
            .AddHttpMessageHandler<ServiceTokenHandler>();
        return builder;
    }
}
