using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Samskaping.Benefits.Nav;
using Samskaping.Digisos;

namespace Samskaping.Benefits.Feed;

/// <summary>How a call to the benefit system's Digisos API ended.</summary>
public enum DigisosOutcome
{
    /// <summary>Accepted (202 for a document; the new DigisosId for a case).</summary>
    Accepted,

    /// <summary>Not now: 5xx, 408, 429, a timeout, no connection, the circuit open, or our credentials refused
    /// (401/403 are a configuration matter, not the document's). Tried again later.</summary>
    Unavailable,

    /// <summary>Refused (another 4xx): the document or request was wrong; not retried until the document changes.</summary>
    Refused,
}

/// <param name="Detail">For the feed's last error and the events: status code and the receiver's problem title and
/// error paths; never a document value or an identity number.</param>
public sealed record DigisosAnswer(DigisosOutcome Outcome, string? DigisosId, string Detail);

/// <summary>
/// The Fiks Digisos API as the municipality side uses it, over the <see cref="NavHttpClients.Digisos"/> client (bearer
/// token and integration headers added by its handlers; retries, attempt timeout and circuit breaker by the feed's
/// resilience pipeline, see <see cref="FeedModule"/>).
/// </summary>
public sealed class DigisosClient(IHttpClientFactory clients, IOptions<NavOptions> nav)
{
    /// <summary><c>POST /digisos/api/v1/{fiksOrgId}/ny?sokerFnr=…</c>: NAV's contract puts the applicant's identity
    /// number in the query. .NET redacts query strings in HttpClient logs and telemetry; nothing here logs it.</summary>
    public Task<DigisosAnswer> CreateCase(string identityNumber, CancellationToken ct) =>
        Call(new HttpRequestMessage(HttpMethod.Post, $"{Base}/ny?sokerFnr={Uri.EscapeDataString(identityNumber)}") { Content = new StringContent("", Encoding.UTF8, "application/json") },
            async response =>
            {
                var text = (await response.Content.ReadAsStringAsync(ct)).Trim();
                var id = text.StartsWith('"') ? JsonSerializer.Deserialize<string>(text) : text;
                return string.IsNullOrWhiteSpace(id)
                    ? new DigisosAnswer(DigisosOutcome.Unavailable, null, $"HTTP {(int)response.StatusCode} without a DigisosId.")
                    : new DigisosAnswer(DigisosOutcome.Accepted, id.Trim(), $"HTTP {(int)response.StatusCode}");
            }, ct);

    /// <summary><c>POST /digisos/api/v1/{fiksOrgId}/{digisosId}</c> with the complete document in NAV's envelope.</summary>
    public Task<DigisosAnswer> Send(string digisosId, string document, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["type"] = DigisosDocument.EnvelopeType,
            ["sak"] = new JsonObject { ["soker"] = JsonNode.Parse(document) },
        };
        return Call(new HttpRequestMessage(HttpMethod.Post, $"{Base}/{Uri.EscapeDataString(digisosId)}") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") },
            response => Task.FromResult(new DigisosAnswer(DigisosOutcome.Accepted, digisosId, $"HTTP {(int)response.StatusCode}")), ct);
    }

    private string Base => $"digisos/api/v1/{Uri.EscapeDataString(nav.Value.FiksOrgId)}";

    private async Task<DigisosAnswer> Call(HttpRequestMessage request, Func<HttpResponseMessage, Task<DigisosAnswer>> accepted, CancellationToken ct)
    {
        using (request)
        {
            try
            {
                using var response = await clients.CreateClient(NavHttpClients.Digisos).SendAsync(request, ct);
                if (response.IsSuccessStatusCode)
                {
                    return await accepted(response);
                }
                var detail = await Describe(response, ct);
                return Transient(response.StatusCode)
                    ? new DigisosAnswer(DigisosOutcome.Unavailable, null, detail)
                    : new DigisosAnswer(DigisosOutcome.Refused, null, detail);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // Timeouts, refused connections, an open circuit, an unreachable token endpoint: all "not now".
                return new DigisosAnswer(DigisosOutcome.Unavailable, null, $"{e.GetType().Name}: {e.Message}");
            }
        }
    }

    private static bool Transient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
            or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;

    /// <summary>The status, the problem's title and the paths it names: enough to find the defect, no values.</summary>
    private static async Task<string> Describe(HttpResponseMessage response, CancellationToken ct)
    {
        var detail = $"HTTP {(int)response.StatusCode}";
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (JsonNode.Parse(text) is JsonObject problem)
            {
                if (problem["title"] is JsonValue title)
                {
                    detail += $": {title}";
                }
                if (problem["errors"] is JsonArray errors)
                {
                    detail += " [" + string.Join("; ", errors.OfType<JsonObject>().Take(20).Select(e => $"{e["path"]}: {e["message"]}")) + "]";
                }
            }
        }
        catch (JsonException)
        {
            // Not a problem document: the status says enough.
        }
        return FeedProjection.Truncate(detail, 1000);
    }
}
