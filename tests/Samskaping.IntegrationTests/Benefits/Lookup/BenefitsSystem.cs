using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Samskaping.Benefits;
using Samskaping.Cases;
using Samskaping.Contracts.Benefits;
using Samskaping.Coordination;
using Samskaping.Gateway;
using Samskaping.Grants;
using Samskaping.IntegrationTests.EndToEnd;
using Samskaping.IntegrationTests.Infrastructure;
using Samskaping.IntegrationTests.Messaging;
using Samskaping.NavSimulator;
using Samskaping.NavSimulator.Tokens;
using Shouldly;
using Xunit;

namespace Samskaping.IntegrationTests.Benefits.Lookup;

/// <summary>
/// What the benefit look-up and inbound notifications involve, each on its own fresh database and one RabbitMQ
/// virtual host: cases (who the people are), coordination (the relay log), benefits, grants (the decision view),
/// the NAV-style simulator and the gateway — all on real loopback ports, because the simulator posts inbound
/// notifications to the gateway over HTTP. A probe on the same bus records every BenefitStatusChanged.
/// </summary>
public sealed class BenefitsSystem : IAsyncLifetime, IDisposable
{
    public static readonly string[] ServiceNames = ["cases", "coordination", "benefits", "grants"];

    private readonly Dictionary<string, TestDatabase> _databases = [];
    private readonly List<IDisposable> _hosts = [];
    private TestVirtualHost? _vhost;
    private TestDatabase? _probeDatabase;
    private MessagingHost? _probe;

    public Uri Gateway { get; private set; } = null!;

    public Uri Simulator { get; private set; } = null!;

    public Uri Benefits { get; private set; } = null!;

    public Uri CasesAddress { get; private set; } = null!;

    public IServiceProvider SimulatorServices { get; private set; } = null!;

    public TestDatabase Database(string service) => _databases[service];

    public async Task InitializeAsync()
    {
        _vhost = await TestVirtualHost.Create("benefits");
        foreach (var service in ServiceNames)
        {
            _databases[service] = await TestDatabase.Create(service);
        }
        _probeDatabase = await TestDatabase.Create("benefitsprobe");
        _probe = await MessagingHost.Start(_probeDatabase, _vhost, "benefits-probe", bus => bus.AddConsumer<BenefitEventProbe>());

        var gatewayPort = LoopbackPorts.FreePort();
        var simulatorSettings = NavSimulatorSettings.Simulator();
        simulatorSettings["NavSimulator:Inbound:TargetUrl"] = $"http://127.0.0.1:{gatewayPort}/api/benefits/inbound";
        var simulator = Start(new ServiceFactory<NavSimulatorMarker>(simulatorSettings));
        Simulator = simulator.Address;
        SimulatorServices = simulator.Host.Services;

        var cases = CasesAddress = Start<CasesMarker>("cases", new()
        {
            ["Cases:PersonalData:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Cases:PersonalData:LookupKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        });
        var coordination = Start<CoordinationMarker>("coordination", []);
        Benefits = Start<BenefitsMarker>("benefits", NavSimulatorSettings.Benefits(Simulator, cases));
        var grants = Start<GrantsMarker>("grants", new() { ["Grants:Benefits:BaseUrl"] = Benefits.ToString() });

        var gatewaySettings = Common();
        foreach (var (service, address) in new[] { ("cases", cases), ("coordination", coordination), ("benefits", Benefits), ("grants", grants) })
        {
            gatewaySettings[$"ReverseProxy:Clusters:{service}:Destinations:{service}:Address"] = address.ToString();
        }
        Gateway = Start(new ServiceFactory<GatewayMarker>(gatewaySettings, port: gatewayPort)).Address;
    }

    /// <summary>A worker of <paramref name="sector"/> talking to the gateway.</summary>
    public HttpClient Client(string sector, string role = "caseworker", string? subject = null)
    {
        var client = new HttpClient { BaseAddress = Gateway };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For(sector, role, subject));
        return client;
    }

    /// <summary>A client without a token, for the gateway (default) or another address.</summary>
    public static HttpClient Anonymous(Uri address) => new() { BaseAddress = address };

    /// <summary>A token the benefit system (the simulator) signs for our inbound endpoint.</summary>
    public string InboundToken(string? scope = "samskaping:benefits.inbound", string audience = NavSimulatorSettings.InboundAudience) =>
        SimulatorServices.GetRequiredService<TokenIssuer>().Issue("nav-test-sender", audience, scope).Token;

    /// <summary>Opens a case through the gateway; answers its id and household.</summary>
    public static async Task<(Guid CaseId, Guid HouseholdId)> OpenCase(HttpClient worker, string household = "Familien Test")
    {
        var response = await worker.PostAsJsonAsync("/api/cases", new { householdName = household, need = new { text = "Vi trenger hjelp med økonomien." } });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetGuid(), body.GetProperty("householdId").GetGuid());
    }

    /// <summary>Adds a member to the case's household; answers the person id.</summary>
    public static async Task<Guid> AddMember(HttpClient worker, Guid caseId, string name, string role, string? identityNumber, DateOnly? birthDate = null)
    {
        var response = await worker.PostAsJsonAsync($"/api/cases/{caseId}/members", new { name, role, identityNumber, birthDate });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("personId").GetGuid();
    }

    /// <summary>Waits until benefits and coordination know the case (their read models come over the bus).</summary>
    public async Task KnownEverywhere(Guid caseId)
    {
        await Eventually.True(async () => await Database("benefits").Scalar<long>(
            "SELECT count(*) FROM benefits.cases WHERE case_id = @c AND household_id IS NOT NULL", ("c", caseId)) == 1, what: "benefits to know the case");
        await Eventually.True(async () => await Database("coordination").Scalar<long>(
            "SELECT count(*) FROM coordination.groups WHERE case_id = @c", ("c", caseId)) == 1, what: "coordination to know the case");
    }

    public async Task SetBenefits(string personident, params object[] ytelser)
    {
        using var client = Anonymous(Simulator);
        var response = await client.PostAsJsonAsync("/simulator/benefits", new { personident, ytelser });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Switches a fault of the simulator's NAV-side API on (Unavailable, Slow, Drop) or off (None).</summary>
    public async Task Fault(string mode, int delayMilliseconds = 0)
    {
        using var client = Anonymous(Simulator);
        var response = mode == "None"
            ? await client.DeleteAsync("/simulator/faults")
            : await client.PutAsJsonAsync("/simulator/faults", new { mode, rate = 1.0, delayMilliseconds });
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// A second benefits process on the same database and bus, with resilience state of its own (a closed circuit), optionally
    /// with the NAV side or the cases service at an address where nothing runs: the other side "not running at all".
    /// </summary>
    public (ServiceFactory<BenefitsMarker> Host, Uri Address) SecondBenefits(bool navDown, bool casesDown)
    {
        var nowhere = new Uri($"http://127.0.0.1:{LoopbackPorts.FreePort()}/");
        var settings = Common();
        foreach (var (key, value) in NavSimulatorSettings.Benefits(navDown ? nowhere : Simulator, casesDown ? nowhere : CasesAddress))
        {
            settings[key] = value;
        }
        settings["ConnectionStrings:Database"] = _databases["benefits"].ConnectionString;
        settings["ConnectionStrings:RabbitMq"] = _vhost!.AmqpUri;
        var host = new ServiceFactory<BenefitsMarker>(settings);
        return (host, host.Start());
    }

    /// <summary>Every BenefitStatusChanged seen on the bus for the sender's event id.</summary>
    public static IReadOnlyList<BenefitStatusChanged> Published(string senderEventId) => BenefitEventProbe.Of(senderEventId);

    private Uri Start<TMarker>(string service, Dictionary<string, string?> extra) where TMarker : class
    {
        var settings = Common();
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        settings["ConnectionStrings:Database"] = _databases[service].ConnectionString;
        settings["ConnectionStrings:RabbitMq"] = _vhost!.AmqpUri;
        settings["Outbox:PollInterval"] = "00:00:02";
        return Start(new ServiceFactory<TMarker>(settings)).Address;
    }

    private (Uri Address, ServiceFactory<TMarker> Host) Start<TMarker>(ServiceFactory<TMarker> host) where TMarker : class
    {
        _hosts.Add(host);
        return (host.Start(), host);
    }

    private static Dictionary<string, string?> Common() => TestEnvironment.ProcessSettings();

    public void Dispose()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            host.Dispose();
        }
        _hosts.Clear();
    }

    public async Task DisposeAsync()
    {
        Dispose();
        if (_probe is not null)
        {
            await _probe.DisposeAsync();
        }
        foreach (var database in _databases.Values.Append(_probeDatabase).OfType<TestDatabase>())
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
public sealed class BenefitsSystemCollection : ICollectionFixture<BenefitsSystem>
{
    public const string Name = "Benefits look-up and inbound";
}

/// <summary>Every BenefitStatusChanged on the bus, as another service would receive it.</summary>
public sealed class BenefitEventProbe : IConsumer<BenefitStatusChanged>
{
    private static readonly ConcurrentQueue<BenefitStatusChanged> Received = new();

    public static IReadOnlyList<BenefitStatusChanged> Of(string senderEventId) => [.. Received.Where(e => e.SenderEventId == senderEventId)];

    public Task Consume(ConsumeContext<BenefitStatusChanged> context)
    {
        Received.Enqueue(context.Message);
        return Task.CompletedTask;
    }
}
