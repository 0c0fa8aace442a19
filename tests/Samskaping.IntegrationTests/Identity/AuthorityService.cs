using System.Security.Cryptography;
using Samskaping.Cases;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Xunit;

namespace Samskaping.IntegrationTests.Identity;

/// <summary>
/// The development identity provider, and a cases service that knows it only as <c>Auth:Authority</c>: keys from its
/// discovery document and JWKS, no shared secret — as the services run against a municipality's provider.
/// </summary>
public sealed class AuthorityService : IAsyncLifetime, IDisposable
{
    private TestDatabase _database = null!;
    private TestVirtualHost _vhost = null!;
    private ServiceFactory<CasesMarker> _cases = null!;

    public IdentityProviderHost Provider { get; } = new();

    public Uri Cases { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Provider.InitializeAsync();
        _database = await TestDatabase.Create("cases_authority");
        _vhost = await TestVirtualHost.Create("authority");
        _cases = new ServiceFactory<CasesMarker>(new Dictionary<string, string?>
        {
            ["Auth:Issuer"] = Provider.Issuer,
            ["Auth:Audience"] = TestEnvironment.Audience,
            ["Auth:Authority"] = Provider.Issuer,
            // Empty on purpose: it also overrides an Auth__SigningKey in the environment of the test run.
            ["Auth:SigningKey"] = "",
            ["ConnectionStrings:Database"] = _database.ConnectionString,
            ["ConnectionStrings:RabbitMq"] = _vhost.AmqpUri,
            ["Cases:PersonalData:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Cases:PersonalData:LookupKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["RateLimiting:BurstLimit"] = "10000",
            ["RateLimiting:PermitsPerSecond"] = "10000",
        });
        Cases = _cases.Start();
    }

    public HttpClient CasesAs(string token)
    {
        var client = new HttpClient { BaseAddress = Cases };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    public void Dispose()
    {
        _cases?.Dispose();
        Provider.Dispose();
    }

    public async Task DisposeAsync()
    {
        await _cases.DisposeAsync();
        await _vhost.DisposeAsync();
        await _database.DisposeAsync();
        await Provider.DisposeAsync();
    }
}
