using System.ComponentModel.DataAnnotations;

namespace Samskaping.Outcomes.Schedules;

public sealed class ScheduleOptions
{
    public const string Section = "Schedules";

    /// <summary>How soon after a case starts its baseline measurement is due: the first picture of the family's quality of life.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "90.00:00:00")] public TimeSpan BaselineDueAfter { get; set; } = TimeSpan.FromDays(14);
}
