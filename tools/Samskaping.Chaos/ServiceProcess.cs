using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Samskaping.Chaos;

/// <summary>
/// One service as a real OS process (<c>dotnet services/…/bin/Release/net10.0/X.dll</c>), configured through its
/// environment, its output kept in a log file of the scenario. It can be started again on the same port and database.
/// </summary>
internal sealed class ServiceProcess(
    string name, string dll, int port, Dictionary<string, string> settings, string logFile, string readinessPath = "health/ready") : IDisposable
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly Lock _logLock = new();
    private Process? _process;
    private StreamWriter? _log;

    public string Name { get; } = name;

    public Uri Address { get; } = new($"http://127.0.0.1:{port}/");

    public int Starts { get; private set; }

    public bool Running => _process is { HasExited: false };

    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    public Task Exited => _process?.WaitForExitAsync() ?? Task.CompletedTask;

    /// <summary>Starts the process with the scenario's settings, plus <paramref name="extra"/> for this start only.</summary>
    public void Start(IReadOnlyDictionary<string, string>? extra = null)
    {
        RefuseTakenPort();
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["ASPNETCORE_URLS"] = Address.ToString().TrimEnd('/');
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        _log ??= new StreamWriter(logFile, append: true) { AutoFlush = true };
        Starts++;
        Write($"=== start {Starts} of {Name} ({string.Join(", ", (extra ?? new Dictionary<string, string>()).Select(e => $"{e.Key}={e.Value}"))})");
        _process?.Dispose();
        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Name}");
        _process.OutputDataReceived += (_, e) => Write(e.Data);
        _process.ErrorDataReceived += (_, e) => Write(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>
    /// The scenarios' ports are fixed, so a second fault suite on the machine (another checkout, or <c>./samskaping
    /// test</c> beside <c>./samskaping chaos</c>) wants the same ones. Started anyway, this process would fail to bind
    /// while the readiness probe, the load and the checks reached the other run's process on the port — each run then
    /// failing on the other's data. So a port something already answers on stops the run before the process starts.
    /// </summary>
    private void RefuseTakenPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Connect(IPAddress.Loopback, Address.Port);
        }
        catch (SocketException)
        {
            return;
        }
        throw new InvalidOperationException(
            $"port {Address.Port}, where {Name} is to listen, already answers: another fault suite (or program) uses it on this machine; run the suites one at a time");
    }

    /// <summary>The answer of <c>/health/ready</c> (or the readiness path given): 200, 503, or 0 when nobody answers.</summary>
    public async Task<int> Readiness()
    {
        try
        {
            using var response = await Probe.GetAsync(new Uri(Address, readinessPath));
            return (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }

    public async Task WaitReady(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (await Readiness() != 200)
        {
            if (_process is { HasExited: true })
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} while starting; see {logFile}");
            }
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"{Name} was not ready within {timeout.TotalSeconds:0} s; see {logFile}");
            }
            await Task.Delay(250);
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no acknowledgements.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            p.WaitForExit(10_000);
        }
    }

    /// <summary>Lines of the log (all starts) that contain <paramref name="text"/>.</summary>
    public int CountLines(string text)
    {
        lock (_logLock)
        {
            _log?.Flush();
        }
        using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var count = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Contains(text, StringComparison.Ordinal))
            {
                count++;
            }
        }
        return count;
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_logLock)
        {
            _log?.WriteLine(line);
        }
    }

    public void Dispose()
    {
        if (_process is { HasExited: false } p)
        {
            // A graceful stop would be kinder, but the scenario is over and its databases are dropped next.
            p.Kill(entireProcessTree: true);
            p.WaitForExit(10_000);
        }
        _process?.Dispose();
        lock (_logLock)
        {
            _log?.Dispose();
            _log = null;
        }
    }
}
