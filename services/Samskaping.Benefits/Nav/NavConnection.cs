using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Samskaping.Benefits.Nav;

/// <summary>
/// The NAV-style benefit system we talk to (section <c>Benefits:Nav</c>). Secrets come from configuration only
/// (environment or a mounted Secret), never from the repository.
/// </summary>
public sealed class NavOptions
{
    public const string Section = "Benefits:Nav";

    /// <summary>Where the Digisos API (<c>/digisos/api/v1/…</c>) and the benefit look-up API live.</summary>
    [Required, Url] public string BaseUrl { get; set; } = "";

    /// <summary>OAuth 2.0 client-credentials token endpoint (Maskinporten-style).</summary>
    [Required, Url] public string TokenEndpoint { get; set; } = "";

    [Required] public string ClientId { get; set; } = "";

    [Required] public string ClientSecret { get; set; } = "";

    /// <summary>Scope asked for in the token request, when the token endpoint wants one.</summary>
    public string? Scope { get; set; }

    /// <summary>The municipality's Fiks organisation id, in the Digisos API's path.</summary>
    [Required] public string FiksOrgId { get; set; } = "";

    /// <summary>Fiks integration id and password, sent as the <c>IntegrasjonId</c> / <c>IntegrasjonPassord</c> headers.</summary>
    [Required] public string IntegrasjonId { get; set; } = "";

    [Required] public string IntegrasjonPassord { get; set; } = "";

    [Range(1, 60)] public int LookupTimeoutSeconds { get; set; } = 3;

    [Range(0, 3600)] public int LookupCacheSeconds { get; set; } = 60;

    [Range(1, 300)] public int DeliveryTimeoutSeconds { get; set; } = 10;
}

/// <summary>The names of the HttpClients that reach the NAV-style system; each use adds its own resilience pipeline.</summary>
public static class NavHttpClients
{
    /// <summary>The Digisos API: bearer token plus the Fiks integration headers.</summary>
    public const string Digisos = "nav-digisos";

    /// <summary>The benefit look-up API: bearer token.</summary>
    public const string Lookup = "nav-lookup";

    internal const string Token = "nav-token";
}

/// <summary>Gets and caches the bearer token from the client-credentials endpoint, renewing it before it expires.</summary>
public sealed class NavTokenClient(IHttpClientFactory httpClients, IOptions<NavOptions> options, TimeProvider clock) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Token, DateTimeOffset RenewAt)? _cached;

    public async Task<string> AccessToken(CancellationToken ct)
    {
        if (_cached is { } hit && clock.GetUtcNow() < hit.RenewAt)
        {
            return hit.Token;
        }
        await _gate.WaitAsync(ct);
        try
        {
            if (_cached is { } again && clock.GetUtcNow() < again.RenewAt)
            {
                return again.Token;
            }
            var o = options.Value;
            var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
            if (!string.IsNullOrWhiteSpace(o.Scope))
            {
                form["scope"] = o.Scope;
            }
            using var request = new HttpRequestMessage(HttpMethod.Post, o.TokenEndpoint) { Content = new FormUrlEncodedContent(form) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(
                System.Text.Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(o.ClientId)}:{Uri.EscapeDataString(o.ClientSecret)}")));
            using var response = await httpClients.CreateClient(NavHttpClients.Token).SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                // 5xx is the other side being down (retried by the caller's pipeline); 4xx is our configuration.
                throw new HttpRequestException($"The token endpoint answered {(int)response.StatusCode}.", null, response.StatusCode);
            }
            var answer = await response.Content.ReadFromJsonAsync<TokenAnswer>(ct);
            if (answer is not { AccessToken.Length: > 0 })
            {
                throw new HttpRequestException("The token endpoint answered without an access token.");
            }
            var lifetime = TimeSpan.FromSeconds(Math.Clamp(answer.ExpiresIn, 10, 3600));
            _cached = (answer.AccessToken, clock.GetUtcNow().Add(lifetime * 0.75));
            return answer.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forget the cached token (the other side refused it).</summary>
    public void Invalidate() => _cached = null;

    public void Dispose() => _gate.Dispose();

    private sealed record TokenAnswer(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}

/// <summary>Adds the bearer token; when the other side answers 401, gets a fresh token and tries once more.</summary>
public sealed class NavAuthenticationHandler(NavTokenClient tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.AccessToken(cancellationToken));
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }
        response.Dispose();
        tokens.Invalidate();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.AccessToken(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}

/// <summary>The Fiks integration credentials every Digisos call carries.</summary>
public sealed class FiksIntegrationHandler(IOptions<NavOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove("IntegrasjonId");
        request.Headers.Remove("IntegrasjonPassord");
        request.Headers.Add("IntegrasjonId", options.Value.IntegrasjonId);
        request.Headers.Add("IntegrasjonPassord", options.Value.IntegrasjonPassord);
        return base.SendAsync(request, cancellationToken);
    }
}

public static class NavConnectionExtensions
{
    public static IHostApplicationBuilder AddNavConnection(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<NavOptions>()
            .BindConfiguration(NavOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<NavTokenClient>();
        builder.Services.AddTransient<NavAuthenticationHandler>();
        builder.Services.AddTransient<FiksIntegrationHandler>();
        builder.Services.AddHttpClient(NavHttpClients.Token, http => http.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddHttpClient(NavHttpClients.Digisos, (sp, http) =>
                http.BaseAddress = BaseAddress(sp.GetRequiredService<IOptions<NavOptions>>().Value))
            .AddHttpMessageHandler<NavAuthenticationHandler>()
            .AddHttpMessageHandler<FiksIntegrationHandler>();
        builder.Services.AddHttpClient(NavHttpClients.Lookup, (sp, http) =>
                http.BaseAddress = BaseAddress(sp.GetRequiredService<IOptions<NavOptions>>().Value))
            .AddHttpMessageHandler<NavAuthenticationHandler>();
        return builder;
    }

    private static Uri BaseAddress(NavOptions options) => new(options.BaseUrl.TrimEnd('/') + "/");
}
