using System.Net.Http.Json;
using System.Security.Cryptography;

namespace Samskaping.Bench.SystemUnderTest;

// The layout a person signs in to: the development identity provider (OpenIddict, RS256) first, every process checking
// its tokens through Auth:Authority, and the workspace behind the gateway as its confidential web client.
public sealed partial class BenchSystem
{
    private static readonly string[] SignInDatabases = ["identity", "workspace"];

    /// <summary>Services that call other services' internal endpoints, with client credentials at the provider.</summary>
    private static readonly string[] CallingServices = ["cases", "benefits"];

    private string IdentityUrl => $"http://127.0.0.1:{_layout.IdentityPort}/";

    /// <summary>The system with the identity provider and the workspace, on ports 5190–5199, beside the shared one.</summary>
    public static Task<BenchSystem> StartSignedIn(BenchmarkEnvironment environment, CancellationToken ct) =>
        Start(new BenchSystem(environment, new Layout(5190, "benchws", SignIn: true)), ct);

    /// <summary>
    /// An access token for a demo person (tools/Samskaping.IdentityProvider/demo-people.json) from the provider's
    /// development grant, as <c>./samskaping token</c> gets one: for setting up data through the API.
    /// </summary>
    public async Task<string> PersonToken(string name, string sector, string role, CancellationToken ct)
    {
        using var answer = await _http.PostAsync(new Uri(new Uri(IdentityUrl), "connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "urn:samskaping:params:oauth:grant-type:demo-person",
            ["client_id"] = "samskaping-cli",
            ["name"] = name,
            ["sector"] = sector,
            ["role"] = role,
            ["minutes"] = "120",
        }), ct);
        var body = await answer.Content.ReadFromJsonAsync<Dictionary<string, object>>(ct);
        return answer.IsSuccessStatusCode && body?.GetValueOrDefault("access_token")?.ToString() is { Length: > 0 } token
            ? token
            : throw new InvalidOperationException($"the identity provider gave no token for {name}: {(int)answer.StatusCode} {string.Join(", ", body ?? [])}");
    }

    private async Task StartIdentityProvider(CancellationToken ct)
    {
        foreach (var database in SignInDatabases)
        {
            await DropDatabase(database, ct);
        }
        var keyFile = Path.Combine(_environment.LogDirectory, "identity-signing-key.pem");
        using (var rsa = RSA.Create(2048))
        {
            await File.WriteAllTextAsync(keyFile, rsa.ExportPkcs8PrivateKeyPem(), ct);
        }
        var gateway = $"http://127.0.0.1:{_layout.GatewayPort}/";
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ConnectionStrings:Database"] = ServiceDatabase("identity"),
            ["IdentityProvider:Issuer"] = IdentityUrl,
            ["IdentityProvider:Audience"] = Audience,
            ["IdentityProvider:SigningKeyFile"] = keyFile,
            ["IdentityProvider:WebClients:workspace:ClientSecret"] = Key("identity-web-client-workspace"),
            ["IdentityProvider:WebClients:workspace:DisplayName"] = "Samskaping",
            ["IdentityProvider:WebClients:workspace:RedirectUris:0"] = gateway + "signin-oidc",
            ["IdentityProvider:WebClients:workspace:PostLogoutRedirectUris:0"] = gateway + "signout-callback-oidc",
        };
        foreach (var service in CallingServices)
        {
            settings[$"IdentityProvider:ServiceClients:{service}"] = Key($"identity-service-client-{service}");
        }
        await StartOne("identity", Dll("tools", "Samskaping.IdentityProvider"), _layout.IdentityPort, settings, ct);
    }

    private Task<ServiceProcess> StartWorkspace(CancellationToken ct)
    {
        var settings = Common();
        settings["ConnectionStrings:Database"] = ServiceDatabase("workspace");
        settings["Workspace:ApiBaseUrl"] = $"http://127.0.0.1:{_layout.GatewayPort}/";
        settings["Workspace:Authority"] = IdentityUrl;
        settings["Workspace:ClientId"] = "workspace";
        settings["Workspace:ClientSecret"] = Key("identity-web-client-workspace");
        return StartOne("workspace", Dll("services", "Samskaping.Workspace"), _layout.WorkspacePort, settings, ct);
    }

    /// <summary>With the provider, a calling service gets its tokens by client credentials; otherwise it signs its own.</summary>
    private Dictionary<string, string> ServiceAuth(string service) =>
        _layout.SignIn && CallingServices.Contains(service)
            ? new(StringComparer.Ordinal)
            {
                ["ServiceAuth:TokenEndpoint"] = IdentityUrl + "connect/token",
                ["ServiceAuth:ClientId"] = "samskaping-" + service,
                ["ServiceAuth:ClientSecret"] = Key($"identity-service-client-{service}"),
            }
            : [];
}
