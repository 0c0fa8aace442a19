using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Samskaping.DevTokens;

namespace Samskaping.Bench.SystemUnderTest;

/// <summary>
/// The whole system in Release as plain processes: the NAV-style simulator, the five services (each with a fresh
/// database <c>&lt;prefix&gt;_&lt;service&gt;</c>) and the gateway, on a RabbitMQ virtual host of its own. Started one
/// process at a time, so each one's time-to-ready is its own. Everything it started is stopped and dropped on
/// <see cref="DisposeAsync"/>. Two layouts: the shared one (ports 5180–5189, tokens signed with a key of this run) and
/// the one a person signs in to (ports 5190–5199, <c>BenchSystem.SignIn.cs</c>: the identity provider and the workspace
/// too, every process checking the provider's RS256 tokens as in production); they can run side by side.
/// </summary>
public sealed partial class BenchSystem : IAsyncDisposable
{
    public const string Issuer = "samskaping-bench";
    public const string Audience = "samskaping";
    public static readonly string[] ServiceNames = ["cases", "coordination", "grants", "outcomes", "benefits"];

    private readonly Layout _layout;
    private readonly string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly List<ServiceProcess> _processes = [];
    private readonly BenchmarkEnvironment _environment;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private BenchSystem(BenchmarkEnvironment environment, Layout layout) => (_environment, _layout) = (environment, layout);

    /// <summary>Where one system's processes listen and what its databases and virtual host are called.</summary>
    private sealed record Layout(int PortBase, string Prefix, bool SignIn)
    {
        public static readonly Layout Shared = new(5180, "bench", SignIn: false);

        public int GatewayPort => PortBase;

        public int SimulatorPort => PortBase + 6;

        public int IdentityPort => PortBase + 7;

        public int WorkspacePort => PortBase + 8;

        public string VirtualHost => Prefix;

        public int Port(string service) => PortBase + 1 + Array.IndexOf(ServiceNames, service);
    }

    /// <summary>The services and the gateway by name ("gateway", "cases", …), in the order they were started.</summary>
    public IReadOnlyList<ServiceProcess> Processes => _processes;

    public ServiceProcess this[string name] => _processes.Single(p => p.Name == name);

    public Uri Gateway => this["gateway"].Address;

    /// <summary>Connection string of a service's own database, for reading its tables (outbox, read models).</summary>
    public string Database(string service) =>
        new NpgsqlConnectionStringBuilder(_environment.Postgres) { Database = $"{_layout.Prefix}_{service}", MaxPoolSize = 10 }.ConnectionString;

    /// <summary>
    /// A service's connection string: at most <see cref="ServicePoolSize"/> connections, so five services under load
    /// stay well inside the shared server's max_connections (Npgsql's default of 100 each would not).
    /// </summary>
    private string ServiceDatabase(string service) =>
        new NpgsqlConnectionStringBuilder(_environment.Postgres) { Database = $"{_layout.Prefix}_{service}", MaxPoolSize = ServicePoolSize }.ConnectionString;

    private const int ServicePoolSize = 30;

    public static Task<BenchSystem> Start(BenchmarkEnvironment environment, CancellationToken ct) =>
        Start(new BenchSystem(environment, Layout.Shared), ct);

    private static async Task<BenchSystem> Start(BenchSystem system, CancellationToken ct)
    {
        try
        {
            await system.StartAll(ct);
            return system;
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
    }

    /// <summary>A bearer token of this run for a worker of <paramref name="sector"/> in <paramref name="role"/>.</summary>
    public string Token(string sector, string role, string subject) =>
        new DevToken(_signingKey, Issuer, Audience, role, sector)
        {
            Subject = subject,
            Name = "Bench " + role,
            Expires = DateTimeOffset.UtcNow.AddHours(2),
        }.Mint();

    public static HttpClient Client(Uri baseAddress, string token)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private async Task StartAll(CancellationToken ct)
    {
        Directory.CreateDirectory(_environment.LogDirectory);
        await RecreateVirtualHost(ct);
        foreach (var service in ServiceNames)
        {
            await DropDatabase(service, ct);
        }
        if (_layout.SignIn)
        {
            await StartIdentityProvider(ct);
        }

        var simulator = await StartOne("nav-simulator", Dll("tools", "Samskaping.NavSimulator"), _layout.SimulatorPort, new()
        {
            ["NavSimulator:SigningKey"] = Key("nav-simulator-signing"),
            ["NavSimulator:ClientId"] = "samskaping-benefits",
            ["NavSimulator:ClientSecret"] = Key("nav-simulator-client-secret"),
            ["NavSimulator:IntegrasjonId"] = "samskaping-bench",
            ["NavSimulator:IntegrasjonPassord"] = Key("nav-simulator-integrasjon-passord"),
            ["NavSimulator:Inbound:TargetUrl"] = $"http://127.0.0.1:{_layout.GatewayPort}/api/benefits/inbound",
        }, ct);
        var cases = await StartService("cases", new()
        {
            ["Cases:PersonalData:EncryptionKey"] = Key("cases-personal-data-encryption"),
            ["Cases:PersonalData:LookupKey"] = Key("cases-personal-data-lookup"),
            // A person's access history gathers every service's part (started after cases, answering by then).
            ["Cases:AccessLogSources:coordination:BaseUrl"] = $"http://127.0.0.1:{_layout.Port("coordination")}",
            ["Cases:AccessLogSources:grants:BaseUrl"] = $"http://127.0.0.1:{_layout.Port("grants")}",
            ["Cases:AccessLogSources:outcomes:BaseUrl"] = $"http://127.0.0.1:{_layout.Port("outcomes")}",
            ["Cases:AccessLogSources:benefits:BaseUrl"] = $"http://127.0.0.1:{_layout.Port("benefits")}",
        }, ct);
        await StartService("coordination", [], ct);
        await StartService("grants", new() { ["Grants:Benefits:BaseUrl"] = $"http://127.0.0.1:{_layout.Port("benefits")}" }, ct);
        await StartService("outcomes", OutcomesSettings(), ct);
        await StartService("benefits", new()
        {
            ["Benefits:Nav:BaseUrl"] = simulator.Address.ToString(),
            ["Benefits:Nav:TokenEndpoint"] = new Uri(simulator.Address, "token").ToString(),
            ["Benefits:Nav:ClientId"] = "samskaping-benefits",
            ["Benefits:Nav:ClientSecret"] = Key("nav-simulator-client-secret"),
            ["Benefits:Nav:FiksOrgId"] = "11415cd1-e26d-499a-8421-751457dfcbd5",
            ["Benefits:Nav:IntegrasjonId"] = "samskaping-bench",
            ["Benefits:Nav:IntegrasjonPassord"] = Key("nav-simulator-integrasjon-passord"),
            ["Benefits:Cases:BaseUrl"] = cases.Address.ToString(),
            ["Benefits:Inbound:Issuer"] = "nav-simulator",
            ["Benefits:Inbound:SigningKey"] = Key("nav-simulator-signing"),
        }, ct);

        var gateway = Common();
        foreach (var service in ServiceNames)
        {
            gateway[$"ReverseProxy:Clusters:{service}:Destinations:{service}:Address"] = $"http://127.0.0.1:{_layout.Port(service)}";
        }
        if (_layout.SignIn)
        {
            gateway["Gateway:WorkspaceAddress"] = (await StartWorkspace(ct)).Address.ToString();
        }
        await StartOne("gateway", Dll("gateway", "Samskaping.Gateway"), _layout.GatewayPort, gateway, ct);
    }

    /// <summary>Stops <paramref name="name"/> and starts it again, waiting until it is ready; returns the new process.</summary>
    public async Task<ServiceProcess> Restart(string name, CancellationToken ct)
    {
        var index = _processes.FindIndex(p => p.Name == name);
        var process = _processes[index].Restart();
        _processes[index] = process;
        await process.WaitUntilReady(_http, ct);
        return process;
    }

    private Task<ServiceProcess> StartService(string service, Dictionary<string, string> extra, CancellationToken ct)
    {
        var settings = Common();
        settings["ConnectionStrings:Database"] = ServiceDatabase(service);
        settings["ConnectionStrings:RabbitMq"] = new UriBuilder(_environment.RabbitMq) { Path = "/" + _layout.VirtualHost }.Uri.ToString();
        settings["Database:CreateIfMissing"] = "true";
        foreach (var (key, value) in ServiceAuth(service))
        {
            settings[key] = value;
        }
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        var project = "Samskaping." + CultureInfo.InvariantCulture.TextInfo.ToTitleCase(service);
        return StartOne(service, Dll("services", project), _layout.Port(service), settings, ct);
    }

    private async Task<ServiceProcess> StartOne(string name, string dll, int port, Dictionary<string, string> settings, CancellationToken ct)
    {
        var process = ServiceProcess.Start(name, dll, port, settings, Path.Combine(_environment.LogDirectory, $"{name}.log"));
        _processes.Add(process);
        await process.WaitUntilReady(_http, ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   {name,-14} pid {process.Id,-7} ready after {process.TimeToReady.TotalSeconds:F2} s on {process.Address}"));
        return process;
    }

    /// <summary>
    /// The process as it ships: ./samskaping bench publishes each one ReadyToRun-compiled, as the container image does
    /// (docker/Dockerfile), into <see cref="BenchmarkEnvironment.Published"/>; without that, the plain Release build.
    /// </summary>
    private string Dll(string folder, string project) =>
        _environment.Published is { } published
            ? Path.Combine(published, project, project + ".dll")
            : Path.Combine(_environment.Root, folder, project, "bin", "Release", "net10.0", project + ".dll");

    private async Task DropDatabase(string service, CancellationToken ct)
    {
        var admin = new NpgsqlConnectionStringBuilder(_environment.Postgres) { Database = "postgres", Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync(ct);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_layout.Prefix}_{service}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync(ct);
    }

    private HttpClient Management()
    {
        var amqp = new Uri(_environment.RabbitMq);
        // Deleting a virtual host with many quorum queues can take the management API tens of seconds on a busy node.
        var management = new HttpClient { BaseAddress = _environment.RabbitMqManagement, Timeout = TimeSpan.FromSeconds(90) };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(amqp.UserInfo))));
        return management;
    }

    private async Task RecreateVirtualHost(CancellationToken ct)
    {
        using var management = Management();
        await management.DeleteAsync($"api/vhosts/{_layout.VirtualHost}", ct);
        (await management.PutAsync($"api/vhosts/{_layout.VirtualHost}", null, ct)).EnsureSuccessStatusCode();
        var user = Uri.UnescapeDataString(new Uri(_environment.RabbitMq).UserInfo).Split(':')[0];
        (await management.PutAsJsonAsync($"api/permissions/{_layout.VirtualHost}/{user}", new { configure = ".*", write = ".*", read = ".*" }, ct))
            .EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        // Gateway first, simulator last: the reverse of the start.
        foreach (var process in Enumerable.Reverse(_processes))
        {
            process.Dispose();
        }
        _processes.Clear();
        NpgsqlConnection.ClearAllPools();
        try
        {
            foreach (var database in ServiceNames.Concat(_layout.SignIn ? SignInDatabases : []))
            {
                await DropDatabase(database, CancellationToken.None);
            }
            using var management = Management();
            await management.DeleteAsync($"api/vhosts/{_layout.VirtualHost}");
        }
        catch (Exception e) when (e is NpgsqlException or HttpRequestException)
        {
            await Console.Error.WriteLineAsync($"cleaning up after the benchmark run failed: {e.Message}");
        }
        _http.Dispose();
    }
}
