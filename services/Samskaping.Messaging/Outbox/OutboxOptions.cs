using System.ComponentModel.DataAnnotations;

namespace Samskaping.Messaging.Outbox;

public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>Rows claimed and published per transaction.</summary>
    [Range(1, 10_000)] public int BatchSize { get; set; } = 100;

    /// <summary>Safety net behind LISTEN/NOTIFY: look for pending rows at least this often.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")] public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one publish may wait for the broker's confirmation before the batch is retried later.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")] public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest pause between attempts while the broker is unreachable.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")] public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Published rows are kept this long (for diagnosis), then deleted.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")] public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Inbox rows are kept far longer than any redelivery can arrive late, then deleted.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")] public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(30);
}
