using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Samskaping.Workspace.SignIn;

namespace Samskaping.Workspace.Api;

/// <summary>
/// The Samskaping API through the gateway, as the signed-in person: their access token from the server-side session,
/// so each page shows exactly what the API lets that person see.
/// </summary>
public sealed class ApiClient(HttpClient http, IHttpContextAccessor accessor)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<ApiAnswer<T>> Get<T>(string path, CancellationToken ct = default) =>
        Send<T>(new HttpRequestMessage(HttpMethod.Get, path), ct);

    /// <param name="idempotencyKey">For a POST that moves money: the key the form was rendered with, so a second submit of
    /// the same form is answered with the first one's result and does nothing twice.</param>
    public Task<ApiAnswer<T>> Post<T>(string path, object body, string? idempotencyKey = null, CancellationToken ct = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return Send<T>(request, ct);
    }

    public Task<ApiAnswer<T>> Put<T>(string path, object body, CancellationToken ct = default) =>
        Send<T>(new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body, options: Json) }, ct);

    private async Task<ApiAnswer<T>> Send<T>(HttpRequestMessage request, CancellationToken ct)
    {
        using var _ = request;
        var context = accessor.HttpContext ?? throw new InvalidOperationException("The API is called for a request only.");
        var token = await context.GetTokenAsync("access_token") ?? throw new SessionExpiredException();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new SessionExpiredException();
        }
        if (response.IsSuccessStatusCode)
        {
            // An action the API answers with 204 (or 202 without a body) has no value, and did not fail.
            var empty = response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0;
            return new ApiAnswer<T>(empty ? default : await response.Content.ReadFromJsonAsync<T>(Json, ct), null);
        }
        var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? await response.Content.ReadFromJsonAsync<ApiProblem>(Json, ct)
            : null;
        return new ApiAnswer<T>(default, (problem ?? new ApiProblem()) with { Status = (int)response.StatusCode });
    }

    /// <summary>
    /// A GET whose answer is passed on as it comes (a CSV file), as the signed-in person; the caller disposes of it. The
    /// headers are read before the body, so a large file is never held in memory.
    /// </summary>
    public async Task<HttpResponseMessage> Download(string path, CancellationToken ct = default)
    {
        var context = accessor.HttpContext ?? throw new InvalidOperationException("The API is called for a request only.");
        var token = await context.GetTokenAsync("access_token") ?? throw new SessionExpiredException();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            response.Dispose();
            throw new SessionExpiredException();
        }
        return response;
    }
}

/// <summary>What the API answered: the value, or the problem (RFC 9457) it refused with.</summary>
public sealed record ApiAnswer<T>(T? Value, ApiProblem? Problem)
{
    public bool Ok => Problem is null;

    public bool NotFound => Problem?.Status == StatusCodes.Status404NotFound;

    /// <summary>The service (or the gateway before it) failed or did not answer: worth another try, which a refusal is not.</summary>
    public bool Failed => Problem?.Status >= StatusCodes.Status500InternalServerError;
}

/// <summary>A problem-details answer; <see cref="Errors"/> names the fields (JSON paths) that were wrong.</summary>
public sealed record ApiProblem
{
    public int Status { get; init; }

    public string? Title { get; init; }

    public string? Detail { get; init; }

    public Dictionary<string, string[]> Errors { get; init; } = [];
}
