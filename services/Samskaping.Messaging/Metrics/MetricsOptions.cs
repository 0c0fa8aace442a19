using System.ComponentModel.DataAnnotations;

namespace Samskaping.Messaging.Metrics;

/// <summary>How often the values behind observable instruments (database counts, queue depths) are read.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Longer than a typical scrape interval is pointless, shorter costs a query per scrape and replica.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ReadingInterval { get; set; } = TimeSpan.FromSeconds(15);
}
