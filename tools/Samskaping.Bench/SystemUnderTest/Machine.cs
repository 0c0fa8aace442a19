using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Samskaping.Bench.SystemUnderTest;

/// <summary>What the numbers were measured on: the machine, its load, and the versions of what ran.</summary>
public sealed record Machine(
    int Cores, string Cpu, double MemoryGiB, string Os, string Kernel, string DotNet, string PostgreSql, string RabbitMq,
    string LoadAverageAtStart, string? LoadAverageAtEnd)
{
    public static async Task<Machine> Describe(BenchmarkEnvironment environment, CancellationToken ct) => new(
        Environment.ProcessorCount,
        CpuModel(),
        Math.Round(MemTotalKilobytes() / 1024.0 / 1024.0, 1),
        OsName(),
        KernelRelease(),
        RuntimeInformation.FrameworkDescription,
        await PostgresVersion(environment.Postgres, ct),
        await RabbitMqVersion(environment, ct),
        LoadAverage(),
        null);

    /// <summary>The 1, 5 and 15 minute load averages from /proc/loadavg.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>The running kernel's release (uname -r), from /proc/sys/kernel/osrelease. Not
    /// <see cref="RuntimeInformation.OSDescription"/>: on Linux that names the distribution, not the kernel.</summary>
    public static string KernelRelease() =>
        File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : Environment.OSVersion.VersionString;

    /// <summary>The processor's model name from /proc/cpuinfo (a guest sees what its hypervisor reports).</summary>
    public static string CpuModel()
    {
        var line = FirstLineStartingWith("/proc/cpuinfo", "model name");
        return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }

    public string ToMarkdown() => new StringBuilder()
        .AppendLine(CultureInfo.InvariantCulture, $"Machine: {Cores} cores ({Cpu}), {MemoryGiB} GiB memory, {Os}, kernel {Kernel}, {DotNet}; ")
        .AppendLine(CultureInfo.InvariantCulture, $"{PostgreSql}; RabbitMQ {RabbitMq}; ")
        .Append(CultureInfo.InvariantCulture, $"load average (1/5/15 min) at start {LoadAverageAtStart}, at end {LoadAverageAtEnd ?? "-"}.")
        .ToString();

    private static long MemTotalKilobytes()
    {
        var line = FirstLineStartingWith("/proc/meminfo", "MemTotal:");
        return line is null ? 0 : long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static string OsName()
    {
        var line = FirstLineStartingWith("/etc/os-release", "PRETTY_NAME=");
        return line is null ? RuntimeInformation.OSDescription : line["PRETTY_NAME=".Length..].Trim('"');
    }

    private static string? FirstLineStartingWith(string path, string prefix) =>
        File.Exists(path) ? File.ReadLines(path).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) : null;

    private static async Task<string> PostgresVersion(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres" }.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT version() || ', fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit')", connection);
        var version = (string?)await command.ExecuteScalarAsync(ct) ?? "?";
        // "PostgreSQL 15.x (Debian …) on x86_64-pc-linux-gnu, compiled by …, 64-bit, fsync=…": keep the name, version and settings.
        var settings = version[version.IndexOf(", fsync=", StringComparison.Ordinal)..];
        return version.Split(" on ")[0] + settings;
    }

    private static async Task<string> RabbitMqVersion(BenchmarkEnvironment environment, CancellationToken ct)
    {
        using var management = new HttpClient { BaseAddress = environment.RabbitMqManagement, Timeout = TimeSpan.FromSeconds(10) };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(new Uri(environment.RabbitMq).UserInfo))));
        try
        {
            var overview = await management.GetFromJsonAsync<JsonElement>("api/overview", ct);
            return overview.TryGetProperty("rabbitmq_version", out var v) ? v.GetString() ?? "?" : "?";
        }
        catch (HttpRequestException e)
        {
            return $"unknown ({e.Message})";
        }
    }
}
