using System.Security.Cryptography;
using Samskaping.IdentityProvider;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Xunit;

namespace Samskaping.IntegrationTests.Identity;

/// <summary>
/// The development identity provider in-process on a real loopback port, with a database, an RSA key and client
/// secrets of this run's own, and the web client a workspace would be.
/// </summary>
public sealed class IdentityProviderHost : IAsyncLifetime, IDisposable
{
    private readonly string _redirectUri;

    public const string WebClientId = "workspace";
    public const string RedirectUri = "http://127.0.0.1:9/signin-oidc";

    // xUnit builds a class fixture through its one public constructor; the workspace's system names its own address.
    public IdentityProviderHost() : this(RedirectUri)
    {
    }

    internal IdentityProviderHost(string redirectUri) => _redirectUri = redirectUri;

    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), $"samskaping-idp-{Guid.NewGuid():N}.pem");
    private TestDatabase _database = null!;
    private ServiceFactory<IdentityProviderMarker> _host = null!;

    /// <summary>The provider's signing key, so a test can sign what the provider would never issue.</summary>
    public RSA SigningKey { get; } = RSA.Create(2048);

    public string WebClientSecret { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public string ServiceClientSecret { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public Uri Address { get; private set; } = null!;

    /// <summary>The issuer, as the services are told it (<c>Auth:Issuer</c>, <c>Auth:Authority</c>).</summary>
    public string Issuer => Address.ToString();

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_keyFile, SigningKey.ExportPkcs8PrivateKeyPem());
        _database = await TestDatabase.Create("identity");
        // The issuer names the port, so the port is chosen before the provider starts.
        var port = SystemFixture.FreePort();
        Address = new Uri($"http://127.0.0.1:{port}/");
        _host = new ServiceFactory<IdentityProviderMarker>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = _database.ConnectionString,
            ["IdentityProvider:Issuer"] = Issuer,
            ["IdentityProvider:Audience"] = TestEnvironment.Audience,
            ["IdentityProvider:SigningKeyFile"] = _keyFile,
            [$"IdentityProvider:WebClients:{WebClientId}:ClientSecret"] = WebClientSecret,
            [$"IdentityProvider:WebClients:{WebClientId}:RedirectUris:0"] = _redirectUri,
            ["IdentityProvider:ServiceClients:benefits"] = ServiceClientSecret,
            ["IdentityProvider:ServiceClients:cases"] = ServiceClientSecret,
        }, port: port);
        _host.Start();
    }

    public HttpClient Client() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = Address };

    public void Dispose()
    {
        _host?.Dispose();
        SigningKey.Dispose();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
        File.Delete(_keyFile);
        SigningKey.Dispose();
    }
}
