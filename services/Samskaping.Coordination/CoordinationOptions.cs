using System.ComponentModel.DataAnnotations;

namespace Samskaping.Coordination;

public sealed class CoordinationOptions
{
    public const string Section = "Coordination";

    /// <summary>How often the review scheduler looks for review dates that passed without an evaluation.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan ReviewScanInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>"My work" lists reviews due within this many days.</summary>
    [Range(0, 90)]
    public int ReviewsDueWithinDays { get; set; } = 7;
}
