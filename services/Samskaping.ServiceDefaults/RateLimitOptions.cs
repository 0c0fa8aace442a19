using System.ComponentModel.DataAnnotations;

namespace Samskaping.ServiceDefaults;

/// <summary>Per-user token bucket: a burst of <see cref="BurstLimit"/>, refilled by <see cref="PermitsPerSecond"/>.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimiting";

    [Range(1, 100_000)] public int BurstLimit { get; set; } = 200;

    [Range(1, 100_000)] public int PermitsPerSecond { get; set; } = 50;
}
