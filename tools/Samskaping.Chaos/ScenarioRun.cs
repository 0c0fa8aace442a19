using System.Diagnostics;
using System.Globalization;

namespace Samskaping.Chaos;

/// <summary>One invariant as checked: what was counted, and whether it held.</summary>
internal sealed record Check(string Name, bool Held, string Counted);

/// <summary>
/// One scenario with one seed: its own databases (one per service), its own RabbitMQ virtual host, its service
/// processes — <see cref="ReplicasPerService"/> of each, as the chart runs them, behind a gateway the load goes
/// through — the seeded randomness, and the checks it made. Everything is removed afterwards unless a check failed.
/// </summary>
internal sealed class ScenarioRun : IAsyncDisposable
{
    /// <summary>
    /// Processes per service on one database and one queue: two outbox relays publish side by side and two consumers
    /// compete for each queue, as with the chart's two replicas, so "nothing lost, nothing twice" is checked where
    /// it can break.
    /// </summary>
    public const int ReplicasPerService = 2;

    /// <summary>Replica n (from 2) listens on the first one's port plus (n - 1) times this.</summary>
    private const int ReplicaPortStep = 100;

    private readonly Dictionary<string, ServiceProcess> _services = [];
    private readonly Dictionary<string, List<ServiceProcess>> _replicas = [];
    private readonly Dictionary<string, string> _gatewaySettings = [];
    private readonly Dictionary<string, string> _databases = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public ScenarioRun(ChaosEnvironment env, string scenario, int seed)
    {
        Env = env;
        Scenario = scenario;
        Seed = seed;
        Random = new Random(seed);
        Vhost = $"chaos-{scenario}-{seed}";
        Folder = Path.Combine(env.Root, ".samskaping", "chaos", $"{scenario}-{seed}");
        Directory.CreateDirectory(Folder);
        Infrastructure = new Infrastructure(env);
        Broker = new Broker(env);
    }

    public ChaosEnvironment Env { get; }
    public string Scenario { get; }
    public int Seed { get; }
    public Random Random { get; }
    public string Vhost { get; }
    public string Folder { get; }
    public Infrastructure Infrastructure { get; }
    public Broker Broker { get; }
    public List<Check> Checks { get; } = [];
    public bool Passed => Checks.Count > 0 && Checks.All(c => c.Held);

    /// <summary>Every process of the run by name (a second replica is "cases-2"); the gateway is not one of them.</summary>
    public IReadOnlyDictionary<string, ServiceProcess> Services => _services;

    /// <summary>The gateway in front of the services, once <see cref="AddGateway"/> was called.</summary>
    public ServiceProcess? Gateway { get; private set; }

    /// <summary>Where the load sends a service's API requests: the gateway, or the service itself when the run has no gateway.</summary>
    public Uri Api(string service) => Gateway?.Address ?? this[service].Address;

    /// <summary>Every process of <paramref name="service"/> (its replicas), the first one first.</summary>
    public IReadOnlyList<ServiceProcess> Replicas(string service) => _replicas[service];

    public IReadOnlyDictionary<string, string> Databases => _databases;

    /// <summary>The first process of <paramref name="service"/>.</summary>
    public ServiceProcess this[string service] => _services[service];

    /// <summary>Creates the service's database and its <see cref="ReplicasPerService"/> processes (not started yet); returns the first.</summary>
    public async Task<ServiceProcess> Add(string service, string project, int port, Dictionary<string, string>? settings = null)
    {
        var database = $"chaos_{Scenario.Replace('-', '_')}_{Seed}_{service.Replace('-', '_')}";
        await Infrastructure.CreateDatabase(database);
        _databases[service] = database;
        var all = new Dictionary<string, string>
        {
            ["ConnectionStrings__Database"] = Env.Database(database),
            ["ConnectionStrings__RabbitMq"] = new UriBuilder(Env.RabbitMq) { Path = "/" + Uri.EscapeDataString(Vhost) }.Uri.ToString(),
            ["RateLimiting__BurstLimit"] = "100000",
            ["RateLimiting__PermitsPerSecond"] = "100000",
            ["Outbox__PollInterval"] = "00:00:01",
            ["Outbox__MaxRetryDelay"] = "00:00:01",
            ["Outbox__PublishTimeout"] = "00:00:05",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Samskaping.Messaging.Inbox.Inbox"] = "Information",
            ["Cases__PersonalData__EncryptionKey"] = Env.PersonalDataKey,
            ["Cases__PersonalData__LookupKey"] = Env.LookupKey,
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }
        var replicas = new List<ServiceProcess>();
        for (var replica = 1; replica <= ReplicasPerService; replica++)
        {
            var name = replica == 1 ? service : $"{service}-{replica}";
            var process = new ServiceProcess(name, Env.ServiceDll(project), port + (replica - 1) * ReplicaPortStep, all, Path.Combine(Folder, $"{name}.log"));
            _services[name] = process;
            replicas.Add(process);
            _gatewaySettings[$"ReverseProxy__Clusters__{service}__Destinations__{name}__Address"] = process.Address.ToString();
        }
        _replicas[service] = replicas;
        return replicas[0];
    }

    /// <summary>
    /// Puts the gateway (not started yet) on <paramref name="port"/> in front of the services added so far, each
    /// cluster with every replica as a destination. Like a Kubernetes Service, it stops sending to a replica that
    /// does not answer ready and sends to it again once it does (YARP's active health check, every second).
    /// </summary>
    public void AddGateway(int port)
    {
        var settings = new Dictionary<string, string>(_gatewaySettings)
        {
            ["RateLimiting__BurstLimit"] = "100000",
            ["RateLimiting__PermitsPerSecond"] = "100000",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var service in _replicas.Keys)
        {
            var cluster = $"ReverseProxy__Clusters__{service}__HealthCheck__Active__";
            settings[cluster + "Enabled"] = "true";
            settings[cluster + "Interval"] = "00:00:01";
            settings[cluster + "Timeout"] = "00:00:02";
            settings[cluster + "Policy"] = "ConsecutiveFailures";
            settings[cluster + "Path"] = "/health/ready";
        }
        // Live, not ready: the gateway's readiness asks every cluster of its configuration, and a scenario runs only
        // some of the services.
        Gateway = new ServiceProcess("gateway", Env.GatewayDll, port, settings, Path.Combine(Folder, "gateway.log"), readinessPath: "health/live");
    }

    /// <summary>Creates a process that has no database of its own (the NAV simulator); not started yet.</summary>
    public ServiceProcess AddProcess(string name, string project, int port, Dictionary<string, string> settings)
    {
        var process = new ServiceProcess(name, Env.ServiceDll(project), port, settings, Path.Combine(Folder, $"{name}.log"));
        _services[name] = process;
        return process;
    }

    public async Task Prepare() => await Broker.CreateVhost(Vhost);

    public async Task StartAll(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? extra = null)
    {
        IReadOnlyDictionary<string, string>? For(string name) => extra is not null && extra.TryGetValue(name, out var e) ? e : null;
        foreach (var (name, service) in _services)
        {
            service.Start(For(name));
        }
        foreach (var (name, service) in _services)
        {
            await Ready(service, For(name));
        }
        if (Gateway is not null)
        {
            Gateway.Start();
            await Ready(Gateway, null);
        }
        await EveryReplicaConsumes();
        Say($"started {string.Join(", ", _services.Keys)}{(Gateway is null ? "" : $" behind the gateway on {Gateway.Address.Port}")} (databases chaos_{Scenario.Replace('-', '_')}_{Seed}_*, vhost {Vhost})");
    }

    /// <summary>
    /// Waits until <paramref name="process"/> is ready; one that exits while starting is started again, up to three
    /// times, as Kubernetes restarts a pod's container: with nine processes starting at once on two cores, a first
    /// connection to PostgreSQL can time out, and that start-up failure is not the fault under test.
    /// </summary>
    private async Task Ready(ServiceProcess process, IReadOnlyDictionary<string, string>? extra)
    {
        for (var start = 1; ; start++)
        {
            try
            {
                await process.WaitReady(TimeSpan.FromSeconds(90));
                return;
            }
            catch (InvalidOperationException e) when (start < 3 && process.ExitCode is not null)
            {
                Say($"{e.Message}; starting it again");
                process.Start(extra);
            }
        }
    }

    /// <summary>
    /// Each service's queue (MassTransit names it after the service) has a consumer in every replica, so the replicas
    /// really compete for its deliveries.
    /// </summary>
    private async Task EveryReplicaConsumes()
    {
        IReadOnlyDictionary<string, int> consumers = new Dictionary<string, int>();
        var consuming = _replicas.Keys.ToList();
        var (held, _) = await Wait.Until(async () =>
        {
            consumers = await Broker.Consumers(Vhost);
            consuming = [.. _replicas.Keys.Where(consumers.ContainsKey)];
            return consuming.Count > 0 && consuming.All(s => consumers[s] == _replicas[s].Count);
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250));
        Check("each service's queue has a consumer in every replica", held,
            string.Join(", ", consuming.Select(s => $"{s}: {consumers[s]} consumers for {_replicas[s].Count} replicas")));
    }

    public void Check(string name, bool held, string counted)
    {
        Checks.Add(new Check(name, held, counted));
        Say($"  [{(held ? "ok" : "FAILED")}] {name}: {counted}");
    }

    public void Say(string text) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{Scenario} seed {Seed} {_clock.Elapsed.TotalSeconds,6:0.0}s] {text}"));

    public async ValueTask DisposeAsync()
    {
        Gateway?.Dispose();
        foreach (var service in _services.Values)
        {
            service.Dispose();
        }
        if (Passed)
        {
            // Keep everything of a failed run for diagnosis; a passed run leaves nothing behind.
            foreach (var database in _databases.Values)
            {
                try
                {
                    await Infrastructure.DropDatabase(database);
                }
                catch (Npgsql.NpgsqlException)
                {
                    // PostgreSQL may be the thing that broke; the next run drops it before use.
                }
            }
            await Broker.DeleteVhost(Vhost);
            Directory.Delete(Folder, recursive: true);
        }
        Broker.Dispose();
    }
}

internal static class Wait
{
    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes; says how long it took.</summary>
    public static async Task<(bool Held, TimeSpan Took)> Until(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? every = null)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return (true, watch.Elapsed);
                }
            }
            catch (Exception e) when (e is HttpRequestException or Npgsql.NpgsqlException or TaskCanceledException or System.Net.Sockets.SocketException)
            {
                // The thing being waited for may be down right now: look again.
            }
            if (watch.Elapsed > timeout)
            {
                return (false, watch.Elapsed);
            }
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(500));
        }
    }
}
