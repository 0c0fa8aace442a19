using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.EntityFrameworkCore;
using Samskaping.ServiceDefaults;
using Samskaping.Workspace.Api;
using Samskaping.Workspace.Components;
using Samskaping.Workspace.SignIn;

namespace Samskaping.Workspace;

/// <summary>Everything the workspace adds to telemetry: sign-in, its own small database, the API client, the pages.</summary>
internal static class WorkspaceModule
{
    /// <summary>Local development port, used only when nothing else says where to listen.</summary>
    private const int LocalPort = 5088;

    public static WebApplicationBuilder AddWorkspace(this WebApplicationBuilder builder)
    {
        builder.ListenLocallyByDefault(LocalPort);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        // Run from a build (./samskaping up, the tests), the framework's script and the style sheets are served from where
        // the build left them, as its manifest says; a published app has them in wwwroot and no manifest, and this does nothing.
        builder.WebHost.UseStaticWebAssets();
        var apiAuthority = builder.Configuration["Auth:Authority"];
        string OrApiAuthority(string authority) => string.IsNullOrWhiteSpace(authority) ? apiAuthority ?? "" : authority;
        builder.Services.AddOptions<WorkspaceOptions>()
            .BindConfiguration(WorkspaceOptions.Section)
            .PostConfigure(o => o.Authority = OrApiAuthority(o.Authority))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(WorkspaceOptions.Section).Get<WorkspaceOptions>() ?? new WorkspaceOptions();
        options.Authority = OrApiAuthority(options.Authority);
        var database = builder.Configuration.GetConnectionString("Database")
            ?? throw new InvalidOperationException("ConnectionStrings:Database is not set: the workspace keeps its sessions and keys there.");

        // Sessions and the data-protection key ring in PostgreSQL: every replica reads the same keys, so a cookie one
        // replica wrote is read by the next, and a session ended on one is ended on all.
        builder.Services.AddDbContext<WorkspaceStore>(o => o.UseNpgsql(database));
        builder.Services.AddHostedService<WorkspaceStoreCreation>();
        builder.Services.AddDataProtection()
            .SetApplicationName("Samskaping.Workspace")
            .PersistKeysToDbContext<WorkspaceStore>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddSignIn(options);

        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            foreach (var network in options.ProxyNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddHttpClient<ApiClient>(c => c.BaseAddress = options.ApiBaseUrl);
        builder.Services.AddRazorComponents();
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "samskaping-skjema";
            // As the request came (https behind a TLS ingress): antiforgery refuses to work at all over plain http with
            // Always, and its cookie is only half a token, worthless without the form's half.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        builder.Services.AddHealthChecks().AddNpgSql(database, name: "database", tags: [Extensions.ReadyTag]);
        return builder;
    }

    public static WebApplication UseWorkspace(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseContentSecurityPolicy();
        app.UseExceptionHandler("/feil", createScopeForErrors: true);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseSessionRenewal();
        app.UseCitizenArea();
        app.UseAntiforgery();

        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains(Extensions.ReadyTag) }).AllowAnonymous();
        app.MapStaticAssets().AllowAnonymous();
        app.MapSignOut();
        app.MapReportDownloads();
        app.MapCitizenLetterDownloads();
        app.MapRazorComponents<App>();
        return app;
    }
}
