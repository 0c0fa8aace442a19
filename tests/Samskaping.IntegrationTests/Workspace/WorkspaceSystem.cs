using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;
using Samskaping.Gateway;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Identity;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.Workspace;
using Xunit;

namespace Samskaping.IntegrationTests.Workspace;

/// <summary>
/// The whole system as people use it: the development identity provider, the five services and the gateway, all
/// validating the provider's RS256 tokens through <c>Auth:Authority</c>, and the workspace at the gateway's root,
/// signing people in with the code flow and PKCE. A headless Debian chromium drives it.
/// </summary>
public sealed class WorkspaceSystem : SystemFixture
{
    private readonly int _gatewayPort = FreePort();
    private TestDatabase _workspaceDatabase = null!;
    private ServiceFactory<WorkspaceMarker>? _workspace;
    private ServiceFactory<WorkspaceMarker>? _secondWorkspace;
    private readonly Lock _secondStart = new();
    private Uri? _secondAddress;
    private Dictionary<string, string?> _gatewaySettings = [];
    private readonly Dictionary<string, Uri> _serviceDown = [];
    private readonly List<IAsyncDisposable> _serviceDownProcesses = [];
    private IPlaywright? _playwright;

    public WorkspaceSystem() => Provider = new IdentityProviderHost($"http://127.0.0.1:{_gatewayPort}/signin-oidc");

    public IdentityProviderHost Provider { get; }

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where people open the workspace: the gateway's root.</summary>
    public Uri Root => new($"http://127.0.0.1:{_gatewayPort}/");

    protected override int GatewayPort => _gatewayPort;

    protected override Dictionary<string, string?> CommonSettings() => new()
    {
        ["Auth:Issuer"] = Provider.Issuer,
        ["Auth:Authority"] = Provider.Issuer,
        ["Auth:Audience"] = TestEnvironment.Audience,
        // Empty on purpose: it also overrides an Auth__SigningKey in the environment of the test run.
        ["Auth:SigningKey"] = "",
        ["RateLimiting:BurstLimit"] = "10000",
        ["RateLimiting:PermitsPerSecond"] = "10000",
        // Without a signing key a service gets its own token from the provider (client credentials). Cases needs one to
        // gather the other services' access logs; the settings are common to every process, so the one service client
        // here is cases'.
        ["ServiceAuth:TokenEndpoint"] = Provider.Issuer + "connect/token",
        ["ServiceAuth:ClientId"] = "samskaping-cases",
        ["ServiceAuth:ClientSecret"] = Provider.ServiceClientSecret,
    };

    protected override async Task BeforeServices()
    {
        await Provider.InitializeAsync();
        _workspaceDatabase = await TestDatabase.Create("workspace");
    }

    protected override Task BeforeGateway(Dictionary<string, string?> gatewaySettings)
    {
        _workspace = new ServiceFactory<WorkspaceMarker>(WorkspaceSettings());
        gatewaySettings["Gateway:WorkspaceAddress"] = _workspace.Start().ToString();
        _gatewaySettings = new Dictionary<string, string?>(gatewaySettings);
        return Task.CompletedTask;
    }

    private Dictionary<string, string?> WorkspaceSettings(Uri? api = null) => new()
    {
        ["ConnectionStrings:Database"] = _workspaceDatabase.ConnectionString,
        ["Workspace:ApiBaseUrl"] = (api ?? Root).ToString(),
        ["Workspace:Authority"] = Provider.Issuer,
        ["Workspace:ClientId"] = IdentityProviderHost.WebClientId,
        ["Workspace:ClientSecret"] = Provider.WebClientSecret,
        // The workspace's own build manifest: where its style sheets and the framework's script are.
        [WebHostDefaults.StaticWebAssetsKey] = StaticAssetsManifest(),
    };

    /// <summary>
    /// A second workspace process on the same database, as a second replica in production, not behind the gateway so
    /// that a test chooses which replica answers. Started on first use: only the replica test needs it.
    /// </summary>
    public Uri SecondWorkspaceReplica()
    {
        lock (_secondStart)
        {
            _secondWorkspace ??= new ServiceFactory<WorkspaceMarker>(WorkspaceSettings());
            return _secondAddress ??= _secondWorkspace.Start();
        }
    }

    /// <summary>
    /// A workspace process on the same database whose API has <paramref name="service"/> down: its own gateway, with
    /// that service's cluster on a port nobody listens on. A person signed in at <see cref="Root"/> goes on there in
    /// the same session (the cookie is the host's; sessions and keys are in the shared database). Started on first use.
    /// </summary>
    public Uri WorkspaceWithServiceDown(string service)
    {
        lock (_secondStart)
        {
            if (_serviceDown.TryGetValue(service, out var started))
            {
                return started;
            }
            var gateway = new ServiceFactory<GatewayMarker>(new Dictionary<string, string?>(_gatewaySettings)
            {
                [$"ReverseProxy:Clusters:{service}:Destinations:{service}:Address"] = $"http://127.0.0.1:{FreePort()}/",
            });
            _serviceDownProcesses.Add(gateway);
            var workspace = new ServiceFactory<WorkspaceMarker>(WorkspaceSettings(gateway.Start()));
            _serviceDownProcesses.Add(workspace);
            return _serviceDown[service] = workspace.Start();
        }
    }

    /// <summary>The second replica's services, once <see cref="SecondWorkspaceReplica"/> started it.</summary>
    public IServiceProvider SecondWorkspaceServices =>
        _secondWorkspace?.Services ?? throw new InvalidOperationException("the second replica has not been started");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            // Debian's chromium: Playwright's own browser download is not reachable here (./samskaping test installs it).
            ExecutablePath = BrowserPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
    }

    public const string BrowserPath = "/usr/bin/chromium";

    /// <summary>The manifest the workspace's build wrote, in the same configuration (Debug, Release) as these tests.</summary>
    private static string StaticAssetsManifest()
    {
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)))!;
        return Path.Combine(TestEnvironment.Root, "services", "Samskaping.Workspace", "bin", configuration, "net10.0",
            "Samskaping.Workspace.staticwebassets.runtime.json");
    }

    /// <summary>A fresh browser profile: its own cookies, as another person at another desk.</summary>
    public async Task<IBrowserContext> NewPerson()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Root.ToString(), Locale = "nb-NO" });
        // Two cores run the whole system and the browser: a first page may take longer than Playwright's 30 s default.
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        return context;
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        await base.DisposeAsync();
        if (_workspace is not null)
        {
            await _workspace.DisposeAsync();
        }
        if (_secondWorkspace is not null)
        {
            await _secondWorkspace.DisposeAsync();
        }
        foreach (var process in _serviceDownProcesses)
        {
            await process.DisposeAsync();
        }
        await _workspaceDatabase.DisposeAsync();
        await Provider.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        _workspace?.Dispose();
        _secondWorkspace?.Dispose();
        foreach (var process in _serviceDownProcesses.OfType<IDisposable>())
        {
            process.Dispose();
        }
        base.Dispose(disposing);
    }
}

[CollectionDefinition(Name)]
public sealed class WorkspaceCollection : ICollectionFixture<WorkspaceSystem>
{
    public const string Name = "Workspace";
}

/// <summary>The API as a demo person, with a token from the identity provider: for what a test sets up outside its own pages.</summary>
internal static class WorkspaceApi
{
    public static async Task<HttpClient> ApiAs(this WorkspaceSystem system, string name, string sector, string role)
    {
        using var provider = system.Provider.Client();
        var answer = await provider.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "urn:samskaping:params:oauth:grant-type:demo-person",
            ["client_id"] = "samskaping-cli",
            ["name"] = name,
            ["sector"] = sector,
            ["role"] = role,
        }));
        answer.EnsureSuccessStatusCode();
        var token = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(answer.Content))
            .GetProperty("access_token").GetString();
        var client = system.Anonymous();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
