using Scalar.AspNetCore;

namespace Samskaping.Gateway;

/// <summary>
/// Headers that keep browsers from sniffing, framing or leaking referrers, on every answer the gateway gives — its
/// own problems as well as what services send back (set when the response starts, so they win over a service's).
/// </summary>
internal static class SecurityHeaders
{
    // A JSON API never needs to load anything into a page.
    private const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            // Says nothing about the software behind the gateway (services answer with their own Server header).
            headers.Remove("Server");
            if (WorkspaceRoute.Answered(context))
            {
                return Task.CompletedTask;
            }
            // Answers name families and people: no browser or shared cache may keep them.
            if (!ApiReference.IsPage(context.Request.Path))
            {
                headers.CacheControl = "no-store";
            }
            headers.ContentSecurityPolicy = ApiReference.IsPage(context.Request.Path)
                ? DocsPolicy(context.Items[ScalarOptions.NonceHttpContextItemKey] as string)
                : ApiPolicy;
            return Task.CompletedTask;
        });
        return next(context);
    });

    /// <summary>
    /// The API reference page runs Scalar's bundled script (its inline configuration carries a per-request nonce), styles
    /// itself inline, and fetches the OpenAPI documents and "try it" requests from this origin only.
    /// </summary>
    private static string DocsPolicy(string? nonce) =>
        "default-src 'self'; "
        + (nonce is null ? "script-src 'self'; " : $"script-src 'self' 'nonce-{nonce}'; ")
        + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
        + "worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
}
