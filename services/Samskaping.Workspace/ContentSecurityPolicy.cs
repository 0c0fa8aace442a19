using Microsoft.Extensions.Options;

namespace Samskaping.Workspace;

/// <summary>
/// A strict Content-Security-Policy on every answer: scripts and styles from this origin only (no inline script or
/// style, no eval), no framing, and forms posted only here or to the identity provider (signing out goes there).
/// The icons of the design system are data: URLs inside its style sheet.
/// </summary>
internal static class ContentSecurityPolicy
{
    public static IApplicationBuilder UseContentSecurityPolicy(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<WorkspaceOptions>>().Value;
        var provider = new Uri(options.Authority).GetLeftPart(UriPartial.Authority);
        var policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            + $"connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self' {provider}";
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = policy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "same-origin";
                // Pages name families and people: no browser or shared cache may keep them. Style sheets and scripts are
                // fingerprinted static assets and keep their own caching.
                if (!context.Response.Headers.ContainsKey("ETag"))
                {
                    headers.CacheControl = "no-store";
                }
                return Task.CompletedTask;
            });
            return next(context);
        });
    }
}
