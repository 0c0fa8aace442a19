using Microsoft.Extensions.Options;

namespace Samskaping.Access;

/// <summary>
/// <c>AccessLog:Retention</c>: how long an access-log entry is kept, set by each municipality in its archive plan
/// (docs/privacy.md, "The access log's own retention"), and how often the sweep removes the entries past it.
/// </summary>
public sealed class AccessLogRetentionOptions
{
    public const string Section = "AccessLog:Retention";

    /// <summary>Years from the entry: long enough for a person to ask who read their data and to complain, and for
    /// the municipality's internal control and security investigations.</summary>
    public int Years { get; set; } = 5;

    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>At most this many entries per transaction; a sweep repeats batches until one comes back short.</summary>
    public int BatchSize { get; set; } = 5000;

    public sealed class Validator : IValidateOptions<AccessLogRetentionOptions>
    {
        public ValidateOptionsResult Validate(string? name, AccessLogRetentionOptions options) =>
            options.Years < 1 ? ValidateOptionsResult.Fail($"{Section}:Years must be at least 1.")
            : options.SweepInterval <= TimeSpan.Zero ? ValidateOptionsResult.Fail($"{Section}:SweepInterval must be positive.")
            : options.BatchSize < 1 ? ValidateOptionsResult.Fail($"{Section}:BatchSize must be at least 1.")
            : ValidateOptionsResult.Success;
    }
}
