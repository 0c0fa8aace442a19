using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.NavSimulator;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Benefits.Lookup;

/// <summary>The NAV-style simulator in-process on a real loopback port, with credentials of this run's own.</summary>
public sealed class SimulatorHost : IAsyncLifetime, IDisposable
{
    public const string Issuer = "nav-simulator-test";
    public const string ClientId = "samskaping-benefits";
    public const string InboundAudience = "samskaping-benefits-inbound-test";

    private readonly ServiceFactory<NavSimulatorMarker> _host;

    public SimulatorHost()
        : this(null)
    {
    }

    internal SimulatorHost(string? inboundTarget)
    {
        _host = new ServiceFactory<NavSimulatorMarker>(new Dictionary<string, string?>
        {
            ["NavSimulator:Issuer"] = Issuer,
            ["NavSimulator:ApiAudience"] = "nav-simulator-api",
            ["NavSimulator:SigningKey"] = SigningKey,
            ["NavSimulator:ClientId"] = ClientId,
            ["NavSimulator:ClientSecret"] = ClientSecret,
            ["NavSimulator:IntegrasjonId"] = "integrasjon-test",
            ["NavSimulator:IntegrasjonPassord"] = IntegrasjonPassord,
            ["NavSimulator:Inbound:TargetUrl"] = inboundTarget,
            ["NavSimulator:Inbound:Audience"] = InboundAudience,
        });
    }

    public string SigningKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string ClientSecret { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public string IntegrasjonPassord { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public Uri Address { get; private set; } = null!;

    public IServiceProvider Services => _host.Services;

    public Task InitializeAsync()
    {
        Address = _host.Start();
        return Task.CompletedTask;
    }

    public HttpClient Client() => new() { BaseAddress = Address };

    /// <summary>A client-credentials token from the simulator's own token endpoint.</summary>
    public async Task<string> Token()
    {
        using var client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = ClientId,
                ["client_secret"] = ClientSecret,
            }),
        };
        var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    public async Task<HttpClient> AuthorizedClient()
    {
        var client = Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Token());
        return client;
    }

    /// <summary>Sets a person's benefits in the simulator, as a test's arrangement.</summary>
    public async Task SetBenefits(string personident, params object[] ytelser)
    {
        using var client = Client();
        var response = await client.PostAsJsonAsync("/simulator/benefits", new { personident, ytelser });
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Switches a fault on (Unavailable, Slow, Drop) or off (None) for the NAV-side API.</summary>
    public async Task Fault(string mode, int delayMilliseconds = 0)
    {
        using var client = Client();
        var response = mode == "None"
            ? await client.DeleteAsync("/simulator/faults")
            : await client.PutAsJsonAsync("/simulator/faults", new { mode, rate = 1.0, delayMilliseconds });
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _host.Dispose();

    public async Task DisposeAsync() => await _host.DisposeAsync();
}
