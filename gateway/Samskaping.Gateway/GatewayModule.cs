using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Samskaping.ServiceDefaults;

namespace Samskaping.Gateway;

/// <summary>
/// Everything the gateway adds to the service defaults. Routes, clusters and each route's authorization and rate
/// limit policy live in the <c>ReverseProxy</c> section of <c>appsettings.json</c>.
/// </summary>
internal static class GatewayModule
{
    /// <summary>Local development port, used only when nothing else says where to listen.</summary>
    private const int LocalPort = 5080;

    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        builder.ListenLocallyByDefault(LocalPort);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.UseInlineIo();

        builder.Services.AddOptions<GatewayOptions>()
            .BindConfiguration(GatewayOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.AddWorkspaceRoute();
        builder.Services.AddValidatedTokenCache();
        builder.Services.AddAuthorization(GatewayPolicies.Add);
        builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            // Kestrel takes header values as UTF-8; the forwarder sends them as they came. By default it refused any value
            // that is not ASCII, and the caller got a 502 for a name with æøå in a header.
            .ConfigureHttpClient((_, handler) => handler.RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8);
        builder.Services.AddRequestBodyLimit();
        // A proxy passes answers on as they come: the services already send theirs whole, with Content-Length.
        builder.Services.Configure<BufferedResponseOptions>(o => o.MaxBytes = 0);
        // Only callers with a valid token see this 404: for anyone else the fallback policy answers 401 on an unknown
        // path first, so the API cannot be mapped without signing in.
        builder.Services.Configure<StatusProblemOptions>(o =>
        {
            o.NotFoundTitle = "No service answers this path.";
            o.NotFoundDetail = "Paths start with /api/cases, /api/coordination, /api/grants, /api/outcomes or /api/benefits. See /docs.";
        });
        builder.Services.AddCors();
        builder.Services.AddOptions<CorsOptions>().Configure<IOptions<GatewayOptions>>(AllowConfiguredOrigins);
        builder.AddServiceReadiness();
        return builder;
    }

    /// <summary>Forwards <c>/api/{service}/…</c> and <c>/openapi/{service}.json</c> as configured.</summary>
    public static WebApplication MapServiceRoutes(this WebApplication app)
    {
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<ProxyProblems>();
            proxy.Use(RequestBodyLimit.RejectDeclaredOversize);
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }

    /// <summary>
    /// <see cref="GatewayOptions.InlineIo"/>: Kestrel continues a connection's work on the thread that read it, and
    /// .NET's sockets (the client connections and YARP's connections to the services alike) run their completions on
    /// the I/O thread. The runtime takes the second from the environment when the process first uses a socket, which
    /// is after this — so it is set only when the gateway is the process (not when a test host runs this code beside
    /// other servers), and an operator who sets <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c> keeps their value.
    /// </summary>
    private static void UseInlineIo(this WebApplicationBuilder builder)
    {
        if (!builder.Configuration.GetValue($"{GatewayOptions.Section}:{nameof(GatewayOptions.InlineIo)}", true))
        {
            return;
        }
        builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
        const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
        if (Assembly.GetEntryAssembly() == typeof(GatewayModule).Assembly && Environment.GetEnvironmentVariable(InlineCompletions) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletions, "1");
        }
    }

    // Closed unless configured: without a default policy the CORS middleware adds no Access-Control-* headers.
    private static void AllowConfiguredOrigins(CorsOptions cors, IOptions<GatewayOptions> gateway)
    {
        if (gateway.Value.AllowedOrigins.Count == 0)
        {
            return;
        }
        cors.AddDefaultPolicy(p => p
            .WithOrigins([.. gateway.Value.AllowedOrigins])
            .AllowAnyMethod()
            .WithHeaders("Authorization", "Content-Type", "Idempotency-Key", CorrelationId.HeaderName, "traceparent", "tracestate")
            .WithExposedHeaders(CorrelationId.HeaderName, "Retry-After", "Location"));
    }

    private static void AddServiceReadiness(this WebApplicationBuilder builder)
    {
        builder.Services.AddHttpClient(ServiceReadiness.HttpClientName, c => c.Timeout = ServiceReadiness.Timeout);
        var checks = builder.Services.AddHealthChecks();
        // The API's readiness: sector systems use it whether or not the web app at the root is up.
        foreach (var cluster in ServiceClusters.Names(builder.Configuration).Where(c => c != WorkspaceRoute.ClusterId))
        {
            checks.AddTypeActivatedCheck<ServiceReadiness>(cluster, HealthStatus.Unhealthy, [Extensions.ReadyTag], cluster);
        }
    }
}
