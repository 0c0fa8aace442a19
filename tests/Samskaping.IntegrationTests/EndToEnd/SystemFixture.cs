using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using Samskaping.Benefits;
using Samskaping.Cases;
using Samskaping.Coordination;
using Samskaping.Gateway;
using Samskaping.Grants;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.NavSimulator;
using Samskaping.Outcomes;
using Xunit;

namespace Samskaping.IntegrationTests.EndToEnd;

/// <summary>
/// The whole system for a test collection: the five services, each with its own fresh database, one RabbitMQ
/// virtual host, and the gateway in front. Every activity the processes record is kept, to check traces.
/// A subclass may start more before the services and the gateway (an identity provider, the workspace).
/// </summary>
public class SystemFixture : IAsyncLifetime, IDisposable
{
    public static readonly string[] ServiceNames = ["cases", "coordination", "grants", "outcomes", "benefits"];

    private readonly Dictionary<string, TestDatabase> _databases = [];
    private readonly List<IDisposable> _factories = [];
    private readonly Dictionary<string, IServiceProvider> _services = [];
    private readonly Dictionary<string, Uri> _addresses = [];
    private readonly ActivityListener _listener;
    private TestVirtualHost? _vhost;
    private ServiceFactory<GatewayMarker>? _gateway;

    public SystemFixture()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Activities.Add,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public ConcurrentBag<Activity> Activities { get; } = [];

    public TestDatabase Database(string service) => _databases[service];

    /// <summary>A service's own address (not the gateway's), e.g. for its internal, service-to-service endpoints.</summary>
    public Uri Address(string service) => _addresses[service];

    /// <summary>A service's container, e.g. to publish on the system's bus as that service would.</summary>
    public IServiceProvider Services(string service) => _services[service];

    public virtual async Task InitializeAsync()
    {
        await BeforeServices();
        _vhost = await TestVirtualHost.Create("system");
        var addresses = _addresses;
        foreach (var service in ServiceNames)
        {
            _databases[service] = await TestDatabase.Create(service);
        }
        // Cases starts last, on a port chosen now: benefits must know its address, and it must know every other
        // service's address to read their access logs.
        var casesPort = FreePort();
        addresses["coordination"] = Start<CoordinationMarker>("coordination");
        addresses["grants"] = Start<GrantsMarker>("grants");
        addresses["outcomes"] = Start<OutcomesMarker>("outcomes");
        var simulator = new ServiceFactory<NavSimulatorMarker>(NavSimulatorSettings.Simulator());
        _factories.Add(simulator);
        Simulator = simulator.Start();
        addresses["benefits"] = Start<BenefitsMarker>("benefits", NavSimulatorSettings.Benefits(Simulator, new Uri($"http://127.0.0.1:{casesPort}")));
        addresses["cases"] = Start<CasesMarker>("cases", AccessLogSources(addresses), casesPort);

        var gatewaySettings = CommonSettings();
        foreach (var (service, address) in addresses)
        {
            gatewaySettings[$"ReverseProxy:Clusters:{service}:Destinations:{service}:Address"] = address.ToString();
        }
        await BeforeGateway(gatewaySettings);
        _gateway = new ServiceFactory<GatewayMarker>(gatewaySettings, realPort: false);
        _gateway.Start();
        var reachable = new ServiceFactory<GatewayMarker>(gatewaySettings, port: GatewayPort);
        _factories.Add(reachable);
        Gateway = reachable.Start();
    }

    /// <summary>Runs before anything of the system starts.</summary>
    protected virtual Task BeforeServices() => Task.CompletedTask;

    /// <summary>Runs when the services are up, with the gateway's settings still open to change.</summary>
    protected virtual Task BeforeGateway(Dictionary<string, string?> gatewaySettings) => Task.CompletedTask;

    /// <summary>The loopback port of the reachable gateway (0: the OS picks).</summary>
    protected virtual int GatewayPort => 0;

    /// <summary>
    /// The same gateway once more, on a loopback port, for programs outside this process (the README's commands).
    /// The tests' own clients use the in-memory one, whose requests carry exactly the headers a test gives them.
    /// </summary>
    public Uri Gateway { get; private set; } = null!;

    /// <summary>A client that talks to the gateway as a worker of <paramref name="sector"/> in <paramref name="role"/>.</summary>
    public HttpClient Client(string sector, string role, string? subject = null)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For(sector, role, subject));
        return client;
    }

    public HttpClient Anonymous() => _gateway!.CreateClient();

    /// <summary>The NAV-style simulator the benefits service talks to, on a real loopback port.</summary>
    public Uri Simulator { get; private set; } = null!;

    /// <summary>Cases' settings for reading the other services' access logs at <paramref name="addresses"/>.</summary>
    public static Dictionary<string, string?> AccessLogSources(IReadOnlyDictionary<string, Uri> addresses) =>
        addresses.Where(a => a.Key != "cases").ToDictionary(a => $"Cases:AccessLogSources:{a.Key}:BaseUrl", a => (string?)a.Value.ToString());

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Uri Start<TMarker>(string service, IReadOnlyDictionary<string, string?>? extra = null, int port = 0) where TMarker : class
    {
        var settings = CommonSettings();
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        settings["ConnectionStrings:Database"] = _databases[service].ConnectionString;
        settings["ConnectionStrings:RabbitMq"] = _vhost!.AmqpUri;
        settings["Outbox:PollInterval"] = "00:00:02";
        // Gauges read the database at every collection: a test sees what it just wrote.
        settings["Metrics:ReadingInterval"] = "00:00:00";
        if (service == "cases")
        {
            // Fresh keys per run for identity numbers at rest: nothing a test writes can be read with a known key.
            settings["Cases:PersonalData:EncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            settings["Cases:PersonalData:LookupKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        }
        if (service == "outcomes")
        {
            settings["Outcomes:PseudonymKey"] = "test-pseudonym-key-of-this-run-" + TestEnvironment.SigningKey;
        }
        var factory = new ServiceFactory<TMarker>(settings, port: port);
        _factories.Add(factory);
        var address = factory.Start();
        _services[service] = factory.Services;
        return address;
    }

    /// <summary>What every process of this system is started with (tokens, rate limits).</summary>
    protected virtual Dictionary<string, string?> CommonSettings() => TestEnvironment.ProcessSettings();

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        _gateway?.Dispose();
        _listener.Dispose();
    }

    public virtual async Task DisposeAsync()
    {
        _gateway?.Dispose();
        foreach (var factory in Enumerable.Reverse(_factories))
        {
            factory.Dispose();
        }
        _listener.Dispose();
        foreach (var database in _databases.Values)
        {
            await database.DisposeAsync();
        }
        if (_vhost is not null)
        {
            await _vhost.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SystemCollection : ICollectionFixture<SystemFixture>
{
    public const string Name = "System";
}
