using Microsoft.AspNetCore.Authorization;
using Yarp.ReverseProxy.Model;

namespace Samskaping.Gateway;

/// <summary>
/// The workspace (caseworkers' web app) answers every path no other route takes: its catch-all route has the highest
/// <c>Order</c>, so every <c>/api/…</c> route, the API reference and the health endpoints win over it. The route exists
/// only where a workspace runs (<c>Gateway:WorkspaceAddress</c>): a gateway without one, such as an API-only
/// installation, answers the root with its own 404 instead of forwarding to an address where nothing listens. It is anonymous here because the workspace signs people in itself (OpenID Connect, its own
/// session cookie) and calls the API back through this gateway with each person's token, where the API's policies
/// and per-user rate limits apply. No per-user limit on the route itself: without a token a person is only an
/// address, and a municipality's workers share one.
/// </summary>
internal static class WorkspaceRoute
{
    public const string ClusterId = "workspace";

    /// <summary>Adds the catch-all route and its cluster to the <c>ReverseProxy</c> configuration when
    /// <c>Gateway:WorkspaceAddress</c> names the workspace.</summary>
    public static WebApplicationBuilder AddWorkspaceRoute(this WebApplicationBuilder builder)
    {
        var address = builder.Configuration[$"{GatewayOptions.Section}:{nameof(GatewayOptions.WorkspaceAddress)}"];
        if (string.IsNullOrWhiteSpace(address))
        {
            return builder;
        }
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ReverseProxy:Routes:{ClusterId}:ClusterId"] = ClusterId,
            [$"ReverseProxy:Routes:{ClusterId}:AuthorizationPolicy"] = "anonymous",
            [$"ReverseProxy:Routes:{ClusterId}:Order"] = "1000",
            [$"ReverseProxy:Routes:{ClusterId}:Match:Path"] = "/{**rest}",
            [$"ReverseProxy:Clusters:{ClusterId}:HttpRequest:ActivityTimeout"] = "00:00:30",
            [$"ReverseProxy:Clusters:{ClusterId}:Destinations:{ClusterId}:Address"] = address,
        });
        return builder;
    }

    /// <summary>The workspace's pages keep their own Content-Security-Policy and caching; the API's would break them.</summary>
    public static bool Answered(HttpContext context) =>
        context.Features.Get<IReverseProxyFeature>()?.Route.Config.ClusterId == ClusterId;

    /// <summary>
    /// An unknown <c>/api/…</c> or <c>/openapi/…</c> path, every service-to-service <c>/internal/…</c> path (never
    /// routed out) and <c>/metrics</c> (scraped from each process's own port, never the public one) stay the gateway's
    /// own 401 or 404 problem (the fallback policy first), instead of falling through to the workspace's catch-all.
    /// </summary>
    public static WebApplication MapApiPathsBeforeWorkspace(this WebApplication app)
    {
        // Any signed-in caller, a worker or a citizen, is told only that nothing is here: the closed fallback policy would
        // answer a citizen's token 403 instead, and what an unknown path answers must not depend on who asks.
        var signedIn = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        app.Map("/api/{**rest}", () => Results.NotFound()).RequireAuthorization(signedIn);
        app.Map("/openapi/{**rest}", () => Results.NotFound()).RequireAuthorization(signedIn);
        app.Map("/internal/{**rest}", () => Results.NotFound()).RequireAuthorization(signedIn);
        app.Map("/metrics", () => Results.NotFound()).RequireAuthorization(signedIn);
        return app;
    }
}
