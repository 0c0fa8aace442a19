using System.ComponentModel.DataAnnotations;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Serialization;
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
public sealed class ServiceTokens(
    string serviceName,
    IOptions<AuthOptions> auth,
    IOptions<ServiceAuthOptions> options,
    IHttpClientFactory httpClients,
    TimeProvider clock) : IDisposable
{
    /// <summary>Every service token's subject starts with this, so no person's token can pass as a service.</summary>
    public const string SubjectPrefix = "service:";

    public const string TokenClient = "service-token-endpoint";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Token, DateTimeOffset RenewAt)? _cached;

    public async Task<string> Token(CancellationToken ct)
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
            var (token, lifetime) = string.IsNullOrWhiteSpace(auth.Value.SigningKey) ? await FromTokenEndpoint(ct) : SignOwn();
            _cached = (token, clock.GetUtcNow().Add(lifetime * 0.75));
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private (string, TimeSpan) SignOwn()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var lifetime = TimeSpan.FromSeconds(options.Value.LifetimeSeconds);
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Value.Issuer,
            Audience = auth.Value.Audience,
            Subject = new ClaimsIdentity(
            [
                new Claim("sub", SubjectPrefix + serviceName),
                new Claim("name", serviceName),
                new Claim("role", Roles.Service),
            ]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.Add(lifetime),
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(AuthOptions.DecodeKey(auth.Value.SigningKey!)), SecurityAlgorithms.HmacSha256),
        });
        return (token, lifetime);
    }

    private async Task<(string, TimeSpan)> FromTokenEndpoint(CancellationToken ct)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.TokenEndpoint) || string.IsNullOrWhiteSpace(o.ClientId) || string.IsNullOrWhiteSpace(o.ClientSecret))
        {
            throw new InvalidOperationException(
                "ServiceAuth:TokenEndpoint, ServiceAuth:ClientId and ServiceAuth:ClientSecret must be set when tokens come from an OIDC provider.");
        }
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        if (!string.IsNullOrWhiteSpace(o.Scope))
        {
            form["scope"] = o.Scope;
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, o.TokenEndpoint) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(
            System.Text.Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(o.ClientId)}:{Uri.EscapeDataString(o.ClientSecret)}")));
        using var response = await httpClients.CreateClient(TokenClient).SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync<TokenAnswer>(ct)
            ?? throw new InvalidOperationException("The token endpoint answered without a token.");
        return (answer.AccessToken, TimeSpan.FromSeconds(Math.Clamp(answer.ExpiresIn, 30, 3600)));
    }

    public void Dispose() => _gate.Dispose();

    private sealed record TokenAnswer(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
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
