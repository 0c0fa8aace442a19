using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Samskaping.Benefits;
using Samskaping.Cases;
using Samskaping.Coordination;
using Samskaping.Gateway;
using Samskaping.Grants;
using Samskaping.IntegrationTests.Benefits.Lookup;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.NavSimulator;
using Samskaping.Outcomes;
using Xunit;

namespace Samskaping.IntegrationTests.Security.Telemetry;

/// <summary>
/// The whole system — five services, the gateway and the NAV-style simulator, each on a real loopback port with its own
/// database and one RabbitMQ virtual host — with every log category of every process at Trace and the instrumentations'
/// query redaction switched off (what an operator, or the development host, could switch on at worst), every span
/// recorded with all its data and every metric measurement with its tags.
/// </summary>
public sealed class TelemetrySystem : IAsyncLifetime
{
    private static readonly string[] Services = ["cases", "coordination", "grants", "outcomes", "benefits"];

    // The categories the processes' appsettings turn down, and the libraries that log: all at their most verbose.
    private static readonly string[] Categories =
        ["Default", "Microsoft", "Microsoft.AspNetCore", "Microsoft.AspNetCore.Hosting.Diagnostics", "Microsoft.Hosting", "System", "System.Net.Http", "System.Net.Http.HttpClient",
         "Yarp", "Yarp.ReverseProxy", "MassTransit", "Npgsql", "Polly", "Samskaping"];

    private readonly Dictionary<string, TestDatabase> _databases = [];
    private readonly List<IDisposable> _hosts = [];
    private TestVirtualHost? _vhost;

    public RecordedSpans Spans { get; } = new();

    public RecordedMetrics Metrics { get; } = new();

    /// <summary>Each process's log, by process name.</summary>
    public Dictionary<string, RecordedLogs> Logs { get; } = [];

    public Uri Gateway { get; private set; } = null!;

    public Uri Simulator { get; private set; } = null!;

    /// <summary>Each service's own address (not the gateway's).</summary>
    public Dictionary<string, Uri> Addresses { get; } = [];

    public TestDatabase Database(string service) => _databases[service];

    public async Task InitializeAsync()
    {
        _vhost = await TestVirtualHost.Create("telemetry");
        foreach (var service in Services)
        {
            _databases[service] = await TestDatabase.Create("tel_" + service);
        }

        var gatewayPort = LoopbackPorts.FreePort();
        var simulator = NavSimulatorSettings.Simulator();
        simulator["NavSimulator:Inbound:TargetUrl"] = $"http://127.0.0.1:{gatewayPort}/api/benefits/inbound";
        Simulator = Start<NavSimulatorMarker>("simulator", Verbose(simulator));

        var addresses = new Dictionary<string, Uri>
        {
            ["cases"] = StartService<CasesMarker>("cases", new()
            {
                ["Cases:PersonalData:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["Cases:PersonalData:LookupKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            }),
            ["coordination"] = StartService<CoordinationMarker>("coordination", []),
            ["outcomes"] = StartService<OutcomesMarker>("outcomes", new()
            {
                ["Outcomes:PseudonymKey"] = "telemetry-test-pseudonym-key-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)),
            }),
        };
        var benefits = NavSimulatorSettings.Benefits(Simulator, addresses["cases"]);
        benefits["Benefits:Feed:PollIntervalMilliseconds"] = "250";
        addresses["benefits"] = StartService<BenefitsMarker>("benefits", benefits!);
        addresses["grants"] = StartService<GrantsMarker>("grants", new() { ["Grants:Benefits:BaseUrl"] = addresses["benefits"].ToString() });

        var gateway = Verbose(TestEnvironment.ProcessSettings());
        foreach (var (service, address) in addresses)
        {
            Addresses[service] = address;
        }
        foreach (var (service, address) in addresses)
        {
            gateway[$"ReverseProxy:Clusters:{service}:Destinations:{service}:Address"] = address.ToString();
        }
        Gateway = Start<GatewayMarker>("gateway", gateway, gatewayPort);
    }

    /// <summary>A worker of <paramref name="sector"/> talking to the gateway, with a name of their own (tokens carry names too).</summary>
    public HttpClient Client(string sector, string role, string subject)
    {
        var client = new HttpClient { BaseAddress = Gateway };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For(sector, role, subject));
        return client;
    }

    public HttpClient SimulatorClient() => new() { BaseAddress = Simulator };

    /// <summary>Every recorded log line, span and metric tag set, with the process, "spans" or "metrics" it came from.</summary>
    public IEnumerable<(string Source, IEnumerable<string> Texts)> Everything() =>
        [.. Logs.Select(l => (l.Key + " log", (IEnumerable<string>)l.Value.Lines.ToArray())), ("spans", Spans.Spans.ToArray()), ("metrics", Metrics.Texts())];

    private Uri StartService<TMarker>(string service, Dictionary<string, string?> extra) where TMarker : class
    {
        var settings = TestEnvironment.ProcessSettings();
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        settings["ConnectionStrings:Database"] = _databases[service].ConnectionString;
        settings["ConnectionStrings:RabbitMq"] = _vhost!.AmqpUri;
        settings["Outbox:PollInterval"] = "00:00:01";
        return Start<TMarker>(service, Verbose(settings));
    }

    private static Dictionary<string, string?> Verbose(Dictionary<string, string?> settings)
    {
        foreach (var category in Categories)
        {
            settings[$"Logging:LogLevel:{category}"] = "Trace";
        }
        // What the Aspire AppHost sets for every project it runs in development, so its dashboard shows whole URLs.
        settings["OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_DISABLE_URL_QUERY_REDACTION"] = "true";
        settings["OTEL_DOTNET_EXPERIMENTAL_HTTPCLIENT_DISABLE_URL_QUERY_REDACTION"] = "true";
        return settings;
    }

    private Uri Start<TMarker>(string process, Dictionary<string, string?> settings, int port = 0) where TMarker : class
    {
        var logs = Logs[process] = new RecordedLogs(process);
        var host = new ServiceFactory<TMarker>(settings, port: port, logs: logs);
        _hosts.Add(host);
        return host.Start();
    }

    public async Task DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            host.Dispose();
        }
        Spans.Dispose();
        Metrics.Dispose();
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
public sealed class TelemetryCollection : ICollectionFixture<TelemetrySystem>
{
    public const string Name = "Telemetry";
}
