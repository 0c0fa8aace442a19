using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Samskaping.ServiceDefaults;

/// <summary>OAuth 2.0 client credentials (RFC 6749 §4.4): the client id and secret sent with HTTP Basic.</summary>
public static class ClientCredentials
{
    /// <summary>
    /// Asks <paramref name="tokenEndpoint"/> for a token. A refusal or an answer without a token is an
    /// <see cref="HttpRequestException"/> naming the status, so callers treat it like any other failed call.
    /// </summary>
    public static async Task<(string Token, TimeSpan Lifetime)> Request(
        HttpClient http, string tokenEndpoint, string clientId, string clientSecret, string? scope, CancellationToken ct)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        if (!string.IsNullOrWhiteSpace(scope))
        {
            form["scope"] = scope;
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenEndpoint) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(
            System.Text.Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(clientSecret)}")));
        using var response = await http.SendAsync(request, ct);
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
        return (answer.AccessToken, TimeSpan.FromSeconds(Math.Clamp(answer.ExpiresIn, 10, 3600)));
    }

    private sealed record TokenAnswer(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}

/// <summary>
/// A bearer token fetched once and reused until three quarters of its lifetime have passed; concurrent callers
/// share one fetch. <see cref="Invalidate"/> forgets it when the other side refused it.
/// </summary>
public sealed class CachedToken(TimeProvider clock, Func<CancellationToken, Task<(string Token, TimeSpan Lifetime)>> fetch) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Token, DateTimeOffset RenewAt)? _cached;

    public async Task<string> Get(CancellationToken ct)
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
            var (token, lifetime) = await fetch(ct);
            _cached = (token, clock.GetUtcNow().Add(lifetime * 0.75));
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Invalidate() => _cached = null;

    public void Dispose() => _gate.Dispose();
}
