namespace Samskaping.Bench;

/// <summary>One side-by-side measurement. Implementations live in their own folder and are found by reflection.</summary>
public interface IBenchmark
{
    /// <summary>The name on the command line: <c>./samskaping bench NAME</c>.</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>Runs the measurement and returns its rows; each row is one side of the comparison or a ratio.</summary>
    Task<BenchmarkReport> Run(BenchmarkContext context, CancellationToken ct);
}

/// <summary>What every benchmark gets: where PostgreSQL and RabbitMQ run (from .samskaping/env), a seed, and options.</summary>
public sealed record BenchmarkContext(
    string PostgresConnectionString,
    string RabbitMqConnectionString,
    string RepositoryRoot,
    int Seed,
    bool Quick,
    IReadOnlyDictionary<string, string> Options)
{
    public int Option(string name, int fallback) =>
        Options.TryGetValue(name, out var text) && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : fallback;
}

/// <summary>A benchmark's result: named measurements plus the ratios the issue asks for.</summary>
public sealed record BenchmarkReport(
    string Name,
    IReadOnlyList<Measurement> Measurements,
    IReadOnlyDictionary<string, double> Ratios,
    IReadOnlyList<string> Notes);

/// <summary>One measured side: operations done, elapsed time, and latency percentiles in milliseconds.</summary>
public sealed record Measurement(string Label, long Operations, TimeSpan Elapsed, double P50Ms, double P99Ms)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;
}
