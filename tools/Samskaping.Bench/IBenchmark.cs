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

    /// <summary>A comma-separated list of whole numbers (<c>--option rates=10,50</c>), or <paramref name="fallback"/>.</summary>
    public IReadOnlyList<int> OptionList(string name, IReadOnlyList<int> fallback)
    {
        if (!Options.TryGetValue(name, out var text))
        {
            return fallback;
        }
        var values = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, System.Globalization.CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                return fallback;
            }
            values.Add(value);
        }
        return values.Count == 0 ? fallback : values;
    }

    /// <summary>The whole system in Release (services, gateway, simulator as processes), started on first use and shared by the run.</summary>
    public SystemUnderTest.RunningSystem LiveSystem { get; init; } = null!;
}

/// <summary>A benchmark's result: named measurements plus the ratios the issue asks for.</summary>
public sealed record BenchmarkReport(
    string Name,
    IReadOnlyList<Measurement> Measurements,
    IReadOnlyDictionary<string, double> Ratios,
    IReadOnlyList<string> Notes)
{
    /// <summary>The issue's goals this benchmark measures, each met or missed.</summary>
    public IReadOnlyList<Goal> Goals { get; init; } = [];
}

/// <summary>
/// One of the issue's goals: <paramref name="Value"/> compared with <paramref name="Target"/> (at least, or at most).
/// NaN (nothing measured) is never met.
/// </summary>
public sealed record Goal(string Name, double Value, bool AtLeast, double Target, string Unit = "")
{
    public bool Met => !double.IsNaN(Value) && (AtLeast ? Value >= Target : Value <= Target);

    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Name}: {Value:0.###}{Unit} (goal {(AtLeast ? "≥" : "≤")} {Target:0.###}{Unit}) — {(Met ? "met" : "MISSED")}");
}

/// <summary>One measured side: operations done, elapsed time, and latency percentiles in milliseconds.</summary>
public sealed record Measurement(string Label, long Operations, TimeSpan Elapsed, double P50Ms, double P99Ms)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;
}
