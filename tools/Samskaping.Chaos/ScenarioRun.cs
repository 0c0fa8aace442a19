using System.Diagnostics;
using System.Globalization;

namespace Samskaping.Chaos;

/// <summary>One invariant as checked: what was counted, and whether it held.</summary>
internal sealed record Check(string Name, bool Held, string Counted);

/// <summary>
/// One scenario with one seed: its own databases (one per service), its own RabbitMQ virtual host, its service
/// processes, the seeded randomness, and the checks it made. Everything is removed afterwards unless a check failed.
/// </summary>
internal sealed class ScenarioRun : IAsyncDisposable
{
    private readonly Dictionary<string, ServiceProcess> _services = [];
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

    public IReadOnlyDictionary<string, ServiceProcess> Services => _services;

    public IReadOnlyDictionary<string, string> Databases => _databases;

    public ServiceProcess this[string service] => _services[service];

    /// <summary>Creates the service's database and its process (not started yet).</summary>
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
        var process = new ServiceProcess(service, Env.ServiceDll(project), port, all, Path.Combine(Folder, $"{service}.log"));
        _services[service] = process;
        return process;
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
        foreach (var (name, service) in _services)
        {
            service.Start(extra is not null && extra.TryGetValue(name, out var e) ? e : null);
        }
        foreach (var service in _services.Values)
        {
            await service.WaitReady(TimeSpan.FromSeconds(90));
        }
        Say($"started {string.Join(", ", _services.Keys)} (databases chaos_{Scenario.Replace('-', '_')}_{Seed}_*, vhost {Vhost})");
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
