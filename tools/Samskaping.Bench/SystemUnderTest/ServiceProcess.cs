using System.Diagnostics;
using System.Globalization;

namespace Samskaping.Bench.SystemUnderTest;

/// <summary>
/// One process of the system under measurement, started as <c>dotnet &lt;dll&gt;</c> from its own Release output
/// with environment configuration, its output kept in a log file. Knows its time-to-ready and its resident memory.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    // Generous: on a shared two-core machine under other builds a first start has taken 25 s.
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(180);

    private readonly Process _process;
    private readonly StreamWriter _log;

    private readonly string _dll;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly string _logFile;

    private ServiceProcess(string name, Uri address, Process process, StreamWriter log, long startedAt, string dll, IReadOnlyDictionary<string, string> settings, string logFile)
    {
        (Name, Address, _process, _log, StartedAt) = (name, address, process, log, startedAt);
        (_dll, _settings, _logFile) = (dll, settings, logFile);
    }

    public string Name { get; }

    public Uri Address { get; }

    public int Id => _process.Id;

    /// <summary><see cref="Stopwatch.GetTimestamp"/> just before the process was created.</summary>
    public long StartedAt { get; }

    /// <summary>Process start → first <c>/health/ready</c> 200.</summary>
    public TimeSpan TimeToReady { get; private set; }

    public static ServiceProcess Start(string name, string dll, int port, IReadOnlyDictionary<string, string> settings, string logFile)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is missing: build it in Release first (./samskaping bench does).", dll);
        }
        var address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Nothing from the caller's shell decides where a process listens or which key it trusts.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)
            || k.StartsWith("Auth__", StringComparison.Ordinal) || k.StartsWith("OTEL_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }
        info.Environment["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/');
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var log = new StreamWriter(logFile, append: false) { AutoFlush = true };
        var startedAt = Stopwatch.GetTimestamp();
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {name}");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServiceProcess(name, address, process, log, startedAt, dll, settings, logFile);
    }

    /// <summary>Stops this process and starts it again with the same settings (its database and queues now exist).</summary>
    public ServiceProcess Restart()
    {
        Dispose();
        return Start(Name, _dll, Address.Port, _settings, Path.ChangeExtension(_logFile, ".restart.log"));
    }

    /// <summary>Polls <c>/health/ready</c> every 20 ms until it answers 200; fails when the process dies or takes three minutes.</summary>
    public async Task WaitUntilReady(HttpClient http, CancellationToken ct)
    {
        var deadline = StartedAt + (long)(ReadyTimeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready; see its log.");
            }
            try
            {
                using var response = await http.GetAsync(new Uri(Address, "health/ready"), ct);
                if (response.IsSuccessStatusCode)
                {
                    TimeToReady = Stopwatch.GetElapsedTime(StartedAt);
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
            {
                // Not listening yet, or too busy starting to answer within the poll's timeout.
            }
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"{Name} was not ready within {ReadyTimeout.TotalSeconds} s; see its log.");
            }
            await Task.Delay(20, ct);
        }
    }

    /// <summary>Resident memory from <c>/proc/PID/status</c>: VmRSS, and how much of it is anonymous or file-backed.</summary>
    public ResidentMemory Resident() => ResidentMemory.Parse(File.ReadLines($"/proc/{Id}/status"));

    /// <summary>
    /// CPU time the process has used so far, user + system, from <c>/proc/PID/stat</c> (utime and stime, fields 14 and
    /// 15, in ticks of USER_HZ, which Linux fixes at 100 per second for user space).
    /// </summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{Id}/stat");
        // The command name (field 2) may hold spaces; the fields after it start past its closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    /// <summary>SIGTERM, a graceful shutdown of up to ten seconds, then kill.</summary>
    public void Stop()
    {
        if (_process.HasExited)
        {
            return;
        }
        try
        {
            using (var term = Process.Start("kill", ["-TERM", Id.ToString(CultureInfo.InvariantCulture)]))
            {
                term?.WaitForExit();
            }
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
        _log.Dispose();
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The process printed after we stopped listening.
            }
        }
    }
}

/// <summary>
/// A process's resident memory in MiB: <see cref="Total"/> is VmRSS (what the goal is about);
/// <see cref="Anonymous"/> (RssAnon: heaps, stacks), <see cref="FileBacked"/> (RssFile: mapped assemblies and
/// their ReadyToRun code, which processes started from the same files can share) and <see cref="Shared"/>
/// (RssShmem: in .NET the JIT's code and stubs, mapped twice — writable and executable — through shared memory for
/// W^X) split it.
/// </summary>
public sealed record ResidentMemory(double Total, double Anonymous, double FileBacked, double Shared)
{
    public static ResidentMemory Parse(IEnumerable<string> statusLines)
    {
        var kilobytes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in statusLines)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[(colon + 1)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var number, "kB"]
                && long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                kilobytes[line[..colon]] = value;
            }
        }
        double MiB(string key) => kilobytes.TryGetValue(key, out var kb)
            ? kb / 1024.0
            : throw new InvalidDataException($"/proc/PID/status has no {key} line");
        return new ResidentMemory(MiB("VmRSS"), MiB("RssAnon"), MiB("RssFile"), MiB("RssShmem"));
    }
}
