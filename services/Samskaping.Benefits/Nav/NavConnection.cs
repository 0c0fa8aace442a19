using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Samskaping.ServiceDefaults;

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
public sealed class NavTokenClient : IDisposable
{
    private readonly CachedToken _token;

    public NavTokenClient(IHttpClientFactory httpClients, IOptions<NavOptions> options, TimeProvider clock)
    {
        _token = new CachedToken(clock, ct =>
        {
            var o = options.Value;
            return ClientCredentials.Request(httpClients.CreateClient(NavHttpClients.Token), o.TokenEndpoint, o.ClientId, o.ClientSecret, o.Scope, ct);
        });
    }

    public Task<string> AccessToken(CancellationToken ct) => _token.Get(ct);

    /// <summary>Forget the cached token (the other side refused it).</summary>
    public void Invalidate() => _token.Invalidate();

    public void Dispose() => _token.Dispose();
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
