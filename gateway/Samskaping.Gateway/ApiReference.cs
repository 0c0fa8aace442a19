using Scalar.AspNetCore;

namespace Samskaping.Gateway;

/// <summary>
/// One API reference (Scalar, bundled assets, no internet) at <c>/docs</c> over every service's OpenAPI document.
/// The documents come from the services through the gateway's <c>/openapi/{service}.json</c> routes (configuration).
/// </summary>
internal static class ApiReference
{
    public const string PagePath = "/docs";

    public static bool IsPage(PathString path) => path.StartsWithSegments(PagePath);

    public static WebApplication MapApiReference(this WebApplication app)
    {
        var services = ServiceClusters.Names(app.Configuration);
        app.MapScalarApiReference(PagePath, o =>
        {
            o.WithTitle("Samskaping API")
                // Each name becomes /openapi/{name}.json, Scalar's default pattern and the gateway's route.
                .AddDocuments(services)
                // "Try it" goes through this gateway (token, limits, correlation), not to a service's own address.
                .AddServer(new ScalarServer("/", "This gateway"))
                .WithDynamicBaseServerUrl(true)
                .AddPreferredSecuritySchemes(["bearer"])
                // Nothing leaves the municipality's network: no CDN fonts, telemetry, AI agent or MCP endpoint.
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                // A fresh nonce per page lets the Content-Security-Policy allow Scalar's inline script and nothing else.
                .WithNonce();
        }).AllowAnonymous();
        return app;
    }
}
