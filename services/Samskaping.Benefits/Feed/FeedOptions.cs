using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace Samskaping.Benefits.Feed;

/// <summary>The status feed's own settings (section <c>Benefits:Feed</c>).</summary>
public sealed class FeedOptions
{
    public const string Section = "Benefits:Feed";

    /// <summary>avsender.systemnavn in every document.</summary>
    [Required] public string SystemName { get; set; } = "Samskaping";

    /// <summary>Safety net behind the wake-up on every change: look for due feeds at least this often.</summary>
    [Range(50, 600_000)] public int PollIntervalMilliseconds { get; set; } = 5_000;

    /// <summary>First pause after a failed delivery; doubled per attempt up to <see cref="MaxBackoffSeconds"/>.</summary>
    [Range(10, 600_000)] public int FirstBackoffMilliseconds { get; set; } = 500;

    /// <summary>Longest pause between delivery attempts while the benefit system is down.</summary>
    [Range(1, 3600)] public int MaxBackoffSeconds { get; set; } = 30;

    /// <summary>How long a replica holds a feed while delivering it; longer than one delivery with its retries.</summary>
    [Range(10, 3600)] public int LeaseSeconds { get; set; } = 120;

    /// <summary>Feeds delivered per round.</summary>
    [Range(1, 1000)] public int BatchSize { get; set; } = 20;

    /// <summary>Retries of one call inside the resilience pipeline (exponential backoff with jitter) before the
    /// delivery counts as failed and waits for its next attempt.</summary>
    [Range(0, 10)] public int Retries { get; set; } = 2;

    /// <summary>How long the circuit breaker stays open after the benefit system kept failing.</summary>
    [Range(1, 600)] public int BreakSeconds { get; set; } = 15;

    /// <summary>Whether this process delivers (the projection runs regardless).</summary>
    public bool DeliveryEnabled { get; set; } = true;

    /// <summary>avsender.systemversjon: the benefits service's version.</summary>
    public static string SystemVersion { get; } =
        typeof(FeedOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(FeedOptions).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";
}
