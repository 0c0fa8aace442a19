using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Samskaping.ServiceDefaults;

/// <summary>
/// What no span carries, whatever is configured: a request's query string — a work-list search's query is a person's
/// name, and NAV's own look-up puts an identity number in it — and the User-Agent, which a client fills as it likes.
/// The instrumentations redact query values by default, but one setting per instrumentation turns that off (the Aspire
/// development host sets both, so its dashboard shows whole URLs), and then a searched name reached <c>url.query</c>
/// and <c>url.full</c>. Spans keep the method, the route and the path.
/// </summary>
internal static class TelemetryRedaction
{
    /// <summary>For a request this process serves (ASP.NET Core instrumentation).</summary>
    public static void Incoming(Activity activity, HttpRequest request)
    {
        activity.SetTag("url.query", null);
        activity.SetTag("user_agent.original", null);
    }

    /// <summary>For a request this process sends (HttpClient instrumentation, the gateway's forwarding included).</summary>
    public static void Outgoing(Activity activity, HttpRequestMessage request)
    {
        if (request.RequestUri is { IsAbsoluteUri: true, Query.Length: > 0 } uri)
        {
            // The form .NET's own redaction writes: the query's presence, not its text.
            activity.SetTag("url.full", $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}?*");
        }
    }
}
