using System.Security.Claims;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Samskaping.ServiceDefaults;

public static class Extensions
{
    /// <summary>Tag for health checks that must pass before the process takes traffic.</summary>
    public const string ReadyTag = "ready";

    public const string PerUserRateLimit = "per-user";

    /// <summary>ActivitySource and Meter names of our own code (outbox relay, consumers, domain).</summary>
    public const string TelemetryPrefix = "Samskaping";

    /// <summary>Where Prometheus scrapes a service's meters (docs/operations.md, "Metrics, dashboards and alerts").</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Off for the gateway: its port is the public one, and what it measures is not the public's to read.</summary>
    public const string PrometheusEndpointSetting = "Telemetry:PrometheusEndpoint";

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.AddTelemetry();
        // Request lines carry the query string, and a work-list search's query is a person's name: the hosting and
        // proxy request lines are never written, whatever level is configured (spans keep the route, never the query:
        // TelemetryRedaction).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Yarp.ReverseProxy.Forwarder", LogLevel.Warning);
        // Kestrel describes a request it could not read by the request line or header it stopped at, query included.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel.BadRequests", LogLevel.Warning);
        builder.AddTokenAuthentication();
        builder.AddPerUserRateLimiting();

        builder.Services.AddHealthChecks();
        builder.Services.AddOptions<BufferedResponseOptions>()
            .BindConfiguration(BufferedResponseOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        // Before AddProblemDetails: writers are asked in the order they were added.
        builder.Services.AddSingleton<IProblemDetailsWriter, ProblemsWhateverAccepted>();
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
            c.ProblemDetails.Extensions.TryAdd("traceId", System.Diagnostics.Activity.Current?.TraceId.ToString() ?? c.HttpContext.TraceIdentifier));
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddStatusProblems();
        // Binding failures become exceptions so ProblemExceptionHandler can name the field that was wrong.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.AllowTrailingCommas = false;
            // A number is a JSON number: the web defaults also read "5" as 5, taking for a number what the caller may not
            // have meant as one (an answer, an amount). Text where a number belongs is the caller's 400 naming the field.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.Converters.Add(new RequestText.NoNulStrings());
            o.SerializerOptions.Converters.Add(new RequestTimes.OffsetRequired());
            o.SerializerOptions.TypeInfoResolver = (o.SerializerOptions.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver())
                .WithAddedModifier(RequestText.RefuseNullItems);
        });
        // The public document (v1, the one the gateway serves under /docs) and the internal one: the /internal/…
        // operations take other services' tokens only and the gateway never routes them (ApiGroups.InternalDocument).
        builder.Services.AddOpenApi(o => DescribeApi(o));
        builder.Services.AddOpenApi(ApiGroups.InternalDocument, o => DescribeApi(o).ShouldInclude = d => d.GroupName == ApiGroups.InternalDocument);
        return builder;
    }

    private static OpenApiOptions DescribeApi(OpenApiOptions options) => options
        .AddDocumentTransformer<BearerSecuritySchemeTransformer>()
        .AddDocumentTransformer<ApiInventoryTransformer>()
        .AddOperationTransformer<CallerPolicyDescriptions>()
        .AddOperationTransformer<OperationProblemsTransformer>()
        .AddSchemaTransformer<ConvertedStringSchemaTransformer>()
        .AddSchemaTransformer<AllowedValuesSchemaTransformer>();

    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeFormattedMessage = true;
            o.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Environment.ApplicationName))
            .WithTracing(t => t
                .AddSource(TelemetryPrefix + ".*", "MassTransit", "Yarp.ReverseProxy")
                .AddAspNetCoreInstrumentation(o =>
                {
                    o.Filter = c => !c.Request.Path.StartsWithSegments("/health");
                    o.EnrichWithHttpRequest = TelemetryRedaction.Incoming;
                })
                .AddHttpClientInstrumentation(o => o.EnrichWithHttpRequestMessage = TelemetryRedaction.Outgoing)
                .AddNpgsql())
            .WithMetrics(m => m
                .AddMeter(TelemetryPrefix + ".*", "MassTransit")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddPrometheusExporter());

        // Export only where a collector is configured (the dashboard locally, a collector in Kubernetes).
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
        return builder;
    }

    public static IHostApplicationBuilder AddTokenAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddBearerAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, auth) => Configure(jwt, auth.Value));
        builder.Services.AddAuthorization(Policies.Add);
        return builder;
    }

    /// <summary>
    /// Authentication by bearer tokens only. <c>AddAuthentication()</c> also adds ASP.NET Core Data Protection (for
    /// cookies and remote sign-in) and with it a hosted service that loads an XML key ring before the process takes
    /// traffic — on a first start it creates one and writes it, unencrypted, to the home directory. Nothing here
    /// protects data with it (tokens are validated, never issued or encrypted), so that hosted service is taken out:
    /// the XML stack is never loaded (a few MiB of every process's idle memory, docs/performance.md) and no key file
    /// lands in a container. Use this for every scheme a service adds, so a later <c>AddAuthentication()</c> does
    /// not bring the hosted service back.
    /// </summary>
    public static AuthenticationBuilder AddBearerAuthentication(this IServiceCollection services, string? defaultScheme = null)
    {
        var authentication = defaultScheme is null ? services.AddAuthentication() : services.AddAuthentication(defaultScheme);
        var dataProtection = typeof(DataProtectionOptions).Assembly;
        foreach (var keyRingAtStart in services.Where(d => d.ServiceType == typeof(IHostedService)
            && !d.IsKeyedService && d.ImplementationType?.Assembly == dataProtection).ToList())
        {
            services.Remove(keyRingAtStart);
        }
        return authentication;
    }

    private static void Configure(JwtBearerOptions jwt, AuthOptions auth)
    {
        jwt.MapInboundClaims = false;
        // Every change and every access-log entry names a person: a token without a subject is not a valid caller.
        jwt.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                if (string.IsNullOrWhiteSpace(context.Principal?.FindFirstValue("sub")))
                {
                    context.Fail("The token has no subject (sub).");
                }
                return Task.CompletedTask;
            },
        };
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuer = auth.Issuer,
            ValidateAudience = true,
            ValidAudience = auth.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromSeconds(auth.ClockSkewSeconds),
            NameClaimType = "name",
            RoleClaimType = "role",
        };
        if (!string.IsNullOrWhiteSpace(auth.Authority))
        {
            jwt.Authority = auth.Authority;
            jwt.RequireHttpsMetadata = auth.Authority.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            jwt.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(AuthOptions.DecodeKey(auth.SigningKey!));
            jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        }
    }

    public static IHostApplicationBuilder AddPerUserRateLimiting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, ct) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests.",
                        Detail = "You have sent more requests than allowed in a short time. Wait a moment and try again.",
                    },
                });
            };
            o.AddPolicy(PerUserRateLimit, context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                // Per person, not per address: many workers share one municipal NAT address.
                var partition = context.User.FindFirstValue("sub") is { } sub
                    ? "user:" + sub
                    : "ip:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.BurstLimit,
                    TokensPerPeriod = limits.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
        });
        return builder;
    }

    /// <summary>Applies the per-user rate limit to a route group or endpoint.</summary>
    public static TBuilder RequirePerUserRateLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(PerUserRateLimit);

    /// <summary>
    /// The middleware every service runs, in order, plus <c>/health/live</c>, <c>/health/ready</c> and the
    /// OpenAPI document (anonymous, in every environment: Kubernetes probes and the gateway's docs need them).
    /// </summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        // Inside the exception handler: an answer kept back and dropped by an exception leaves the response clean for
        // it. Outside the status-code pages, so their problem answers (401, 404, 405) go out whole as well.
        app.UseBufferedResponses();
        app.UseStatusCodePages();
        app.Use(RequestText.Refuse);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(ReadyTag),
            ResponseWriter = HealthReport.WriteJson,
        }).AllowAnonymous();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        if (app.Configuration.GetValue(PrometheusEndpointSetting, true))
        {
            // Anonymous like the health endpoints: the network policy decides who reaches a service's port, the gateway
            // routes only /api, and no measurement carries personal data (labels: sectors, statuses, fund ids).
            app.MapPrometheusScrapingEndpoint(MetricsPath).AllowAnonymous();
        }
        return app;
    }
}
