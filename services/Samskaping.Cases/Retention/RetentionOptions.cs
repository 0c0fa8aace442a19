using Microsoft.Extensions.Options;

namespace Samskaping.Cases.Retention;

/// <summary>
/// <c>Cases:Retention</c>: how long a closed case's personal data is kept, set by each municipality (docs/privacy.md,
/// "Retention and anonymisation"), and how often the sweep looks for cases past it.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Cases:Retention";

    /// <summary>Years after closing; 6 covers bokføringsloven §13's five years after the end of the accounting year.</summary>
    public int ClosedCaseYears { get; set; } = 6;

    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>At most this many cases per scan, each in its own transaction; the next scan takes the rest.</summary>
    public int BatchSize { get; set; } = 100;

    public sealed class Validator : IValidateOptions<RetentionOptions>
    {
        public ValidateOptionsResult Validate(string? name, RetentionOptions options) =>
            options.ClosedCaseYears < 1 ? ValidateOptionsResult.Fail($"{Section}:ClosedCaseYears must be at least 1.")
            : options.SweepInterval <= TimeSpan.Zero ? ValidateOptionsResult.Fail($"{Section}:SweepInterval must be positive.")
            : options.BatchSize < 1 ? ValidateOptionsResult.Fail($"{Section}:BatchSize must be at least 1.")
            : ValidateOptionsResult.Success;
    }
}
