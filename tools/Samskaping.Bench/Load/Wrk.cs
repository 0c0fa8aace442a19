using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Samskaping.Bench.Load;

/// <summary>
/// Saturation throughput with <c>wrk</c> (Debian package): a fixed number of connections sending back to back, so
/// the throughput is what the server can do, not what the driver offers. Latencies from wrk here are closed-loop
/// and only for orientation; the latencies the goals speak of come from <see cref="OpenLoop"/>.
/// </summary>
public static partial class Wrk
{
    public static async Task<WrkResult> Run(Uri url, string token, int connections, int threads, TimeSpan duration, CancellationToken ct)
    {
        var info = new ProcessStartInfo("wrk",
        [
            "-t", threads.ToString(CultureInfo.InvariantCulture),
            "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", $"{(int)Math.Ceiling(duration.TotalSeconds)}s",
            "--latency",
            // wrk's default of 2 s counts slow answers on a loaded machine as socket timeouts; they are reported, not hidden.
            "--timeout", "10s",
            "-H", $"Authorization: Bearer {token}",
            url.ToString(),
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("wrk is not installed: apt-get install -y wrk (./samskaping bench installs it)", e);
        }
        using (process)
        {
            var output = await process.StandardOutput.ReadToEndAsync(ct);
            var error = await process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {error}{output}");
            }
            return Parse(output);
        }
    }

    /// <summary>Reads wrk's summary: total requests and seconds, requests/s, the 50 % and 99 % latencies, and non-2xx answers.</summary>
    public static WrkResult Parse(string output)
    {
        var total = RequestsIn().Match(output);
        var rate = RequestsPerSecond().Match(output);
        if (!total.Success || !rate.Success)
        {
            throw new FormatException($"unexpected wrk output:\n{output}");
        }
        var nonSuccess = NonSuccess().Match(output);
        var socketErrors = SocketErrors().Match(output);
        return new WrkResult(
            long.Parse(total.Groups["requests"].Value, CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(total.Groups["seconds"].Value, CultureInfo.InvariantCulture)),
            double.Parse(rate.Groups["rate"].Value, CultureInfo.InvariantCulture),
            LatencyAt(output, "50%"),
            LatencyAt(output, "99%"),
            nonSuccess.Success ? long.Parse(nonSuccess.Groups["n"].Value, CultureInfo.InvariantCulture) : 0,
            socketErrors.Success ? socketErrors.Value.Trim() : null);
    }

    private static double LatencyAt(string output, string percentile)
    {
        var match = Regex.Match(output, $@"^\s*{Regex.Escape(percentile)}\s+(?<value>[\d.]+)(?<unit>us|ms|s|m)\s*$", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
        if (!match.Success)
        {
            return double.NaN;
        }
        var value = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        return match.Groups["unit"].Value switch
        {
            "us" => value / 1000,
            "ms" => value,
            "s" => value * 1000,
            _ => value * 60_000,
        };
    }

    [GeneratedRegex(@"(?<requests>\d+) requests in (?<seconds>[\d.]+)s", RegexOptions.None, 1000)]
    private static partial Regex RequestsIn();

    [GeneratedRegex(@"Requests/sec:\s+(?<rate>[\d.]+)", RegexOptions.None, 1000)]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(?<n>\d+)", RegexOptions.None, 1000)]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"Socket errors:[^\n]*", RegexOptions.None, 1000)]
    private static partial Regex SocketErrors();
}

/// <summary>One wrk run: requests completed, wall time, throughput, closed-loop p50/p99 in ms, non-2xx answers, socket errors.</summary>
public sealed record WrkResult(long Requests, TimeSpan Elapsed, double PerSecond, double P50Ms, double P99Ms, long NonSuccess, string? SocketErrors);
