using System.ComponentModel.DataAnnotations;
using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Samskaping.ServiceDefaults;

/// <summary>
/// Where a service gets the token it presents to another Samskaping service's internal endpoints (section
/// <c>ServiceAuth</c>). With an OIDC provider (<c>Auth:Authority</c>) the service uses OAuth 2.0 client credentials
/// at <see cref="TokenEndpoint"/>; the provider must put <c>role: service</c> and a subject starting with
/// <c>service:</c> in those tokens. In development (<c>Auth:SigningKey</c>) the service signs its own short-lived token.
/// </summary>
public sealed class ServiceAuthOptions
{
    public const string Section = "ServiceAuth";

    public string? TokenEndpoint { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public string? Scope { get; set; }

    [Range(60, 3600)] public int LifetimeSeconds { get; set; } = 300;
}

/// <summary>The calling service's own bearer token for service-to-service calls, cached until shortly before it expires.</summary>
public sealed class ServiceTokens : IDisposable
{
    /// <summary>Every service token's subject starts with this, so no person's token can pass as a service.</summary>
    public const string SubjectPrefix = "service:";

    public const string TokenClient = "service-token-endpoint";

    private readonly string _serviceName;
    private readonly IOptions<AuthOptions> _auth;
    private readonly IOptions<ServiceAuthOptions> _options;
    private readonly IHttpClientFactory _httpClients;
    private readonly TimeProvider _clock;
    private readonly CachedToken _token;

    public ServiceTokens(string serviceName, IOptions<AuthOptions> auth, IOptions<ServiceAuthOptions> options,
        IHttpClientFactory httpClients, TimeProvider clock)
    {
        (_serviceName, _auth, _options, _httpClients, _clock) = (serviceName, auth, options, httpClients, clock);
        _token = new CachedToken(clock, ct =>
            string.IsNullOrWhiteSpace(_auth.Value.SigningKey) ? FromTokenEndpoint(ct) : Task.FromResult(SignOwn()));
    }

    public Task<string> Token(CancellationToken ct) => _token.Get(ct);

    public void Dispose() => _token.Dispose();

    private (string, TimeSpan) SignOwn()
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        var lifetime = TimeSpan.FromSeconds(_options.Value.LifetimeSeconds);
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _auth.Value.Issuer,
            Audience = _auth.Value.Audience,
            Subject = new ClaimsIdentity(
            [
                new Claim("sub", SubjectPrefix + _serviceName),
                new Claim("name", _serviceName),
                new Claim("role", Roles.Service),
            ]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.Add(lifetime),
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(AuthOptions.DecodeKey(_auth.Value.SigningKey!)), SecurityAlgorithms.HmacSha256),
        });
        return (token, lifetime);
    }

    private Task<(string, TimeSpan)> FromTokenEndpoint(CancellationToken ct)
    {
        var o = _options.Value;
        if (string.IsNullOrWhiteSpace(o.TokenEndpoint) || string.IsNullOrWhiteSpace(o.ClientId) || string.IsNullOrWhiteSpace(o.ClientSecret))
        {
            throw new InvalidOperationException(
                "ServiceAuth:TokenEndpoint, ServiceAuth:ClientId and ServiceAuth:ClientSecret must be set when tokens come from an OIDC provider.");
        }
        return ClientCredentials.Request(_httpClients.CreateClient(TokenClient), o.TokenEndpoint, o.ClientId, o.ClientSecret, o.Scope, ct);
    }
}

/// <summary>Adds the service's own bearer token to every request of the HttpClient it is attached to.</summary>
public sealed class ServiceTokenHandler(ServiceTokens tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.Token(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}

public static class ServiceTokenExtensions
{
    /// <summary>Lets this service (named <paramref name="serviceName"/>) call other services' internal endpoints.</summary>
    public static IHostApplicationBuilder AddServiceTokens(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Services.AddOptions<ServiceAuthOptions>()
            .BindConfiguration(ServiceAuthOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHttpClient(ServiceTokens.TokenClient, c => c.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton(sp => new ServiceTokens(
            serviceName,
            sp.GetRequiredService<IOptions<AuthOptions>>(),
            sp.GetRequiredService<IOptions<ServiceAuthOptions>>(),
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddTransient<ServiceTokenHandler>();
        return builder;
    }
}
