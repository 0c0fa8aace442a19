using System.ComponentModel.DataAnnotations;

namespace Samskaping.Outcomes.Schedules;

public sealed class ScheduleOptions : IValidatableObject
{
    public const string Section = "Schedules";

    private static readonly int[] DefaultFollowUpMonths = [3, 6, 12];

    /// <summary>How soon after a case becomes active its baseline measurement is due: the first picture of the family's quality of life.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "90.00:00:00")] public TimeSpan BaselineDueAfter { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Follow-ups, in months after the case became active (default 3, 6 and 12).</summary>
    public int[]? FollowUpMonths { get; set; }

    /// <summary>How long before its due date a follow-up may be answered; earlier answers are refused (409).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "90.00:00:00")] public TimeSpan FollowUpOpensBefore { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long after closing the closing measurement is due.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "90.00:00:00")] public TimeSpan ClosingDueAfter { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How often the scheduler looks for measurements that have become due.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")] public TimeSpan ScanInterval { get; set; } = TimeSpan.FromMinutes(1);

    public IReadOnlyList<int> FollowUps => FollowUpMonths is { Length: > 0 } months ? months : DefaultFollowUpMonths;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (FollowUps.Any(m => m is < 1 or > 60) || FollowUps.Distinct().Count() != FollowUps.Count)
        {
            yield return new ValidationResult("Schedules:FollowUpMonths must be distinct whole months between 1 and 60.", [nameof(FollowUpMonths)]);
        }
    }
}
