using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using Samskaping.Bench.Load;

namespace Samskaping.Bench.Disbursements;

/// <summary>pgbench run on one script in prepared mode, its rate from its summary and its latencies from its per-transaction log.</summary>
internal static partial class Pgbench
{
    public static async Task<Measurement> Measure(
        NpgsqlConnectionStringBuilder target, string script, IReadOnlyList<string> defines, string label, int clients, int seconds, CancellationToken ct)
    {
        var pgbench = Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin", "pgbench")).Where(File.Exists).Order().LastOrDefault()
            ?? throw new InvalidOperationException("pgbench not found under /usr/lib/postgresql/*/bin (Debian package postgresql-client or postgresql).");
        var work = Directory.CreateTempSubdirectory("samskaping-pgbench-");
        try
        {
            var start = new ProcessStartInfo(pgbench)
            {
                WorkingDirectory = work.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in new[]
            {
                "-h", target.Host!, "-p", target.Port.ToString(CultureInfo.InvariantCulture), "-U", target.Username ?? "postgres",
                "-n", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", Math.Min(clients, Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture),
                "-T", seconds.ToString(CultureInfo.InvariantCulture), "-M", "prepared", "-f", script, "-l", "--log-prefix=tx",
            })
            {
                start.ArgumentList.Add(argument);
            }
            foreach (var define in defines)
            {
                start.ArgumentList.Add("-D");
                start.ArgumentList.Add(define);
            }
            start.ArgumentList.Add(target.Database!);
            if (!string.IsNullOrEmpty(target.Password))
            {
                start.Environment["PGPASSWORD"] = target.Password;
            }
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var error = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"pgbench failed ({process.ExitCode}): {await error}");
            }
            var text = await output;
            var processed = long.Parse(Processed().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
            var latencies = new Latencies();
            foreach (var log in work.GetFiles("tx.*"))
            {
                foreach (var line in await File.ReadAllLinesAsync(log.FullName, ct))
                {
                    // client_id transaction_no time_us script_no time_epoch time_us_within_second
                    var fields = line.Split(' ');
                    if (fields.Length > 2 && double.TryParse(fields[2], CultureInfo.InvariantCulture, out var micros))
                    {
                        latencies.Add(micros / 1000.0);
                    }
                }
            }
            return new Measurement(label, processed, TimeSpan.FromSeconds(seconds), latencies.Percentile(0.5), latencies.Percentile(0.99));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"number of transactions actually processed: (\d+)")]
    private static partial Regex Processed();
}
