using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Samskaping.Messaging.Faults;

/// <summary>
/// Faults injected into the inbox for the fault suite (<c>./samskaping chaos</c>): off unless set, and refused at
/// start-up in Production. Every choice is a pure function of <see cref="Seed"/> and the message id, so a run
/// repeats with the same seed.
/// </summary>
public sealed class FaultOptions
{
    public const string Section = "Messaging:Faults";

    /// <summary>Seeds which messages fail; the same seed and message id always give the same fate.</summary>
    public int Seed { get; set; }

    /// <summary>
    /// Kill this process (SIGKILL) right after the Nth inbox transaction of the process has committed and before
    /// the message is acknowledged, so the broker redelivers a message whose effect is already written. 0 = off.
    /// </summary>
    [Range(0, int.MaxValue)] public int KillAfterCommit { get; set; }

    /// <summary>Share of messages (by id) whose first <see cref="TransientAttempts"/> attempts fail, then succeed.</summary>
    [Range(0.0, 1.0)] public double TransientFailureRate { get; set; }

    /// <summary>Share of messages (by id) that fail on every attempt and so end in the error queue.</summary>
    [Range(0.0, 1.0)] public double PermanentFailureRate { get; set; }

    /// <summary>How many attempts of a transient message fail; keep it below Messaging:RetryLimit + 1.</summary>
    [Range(1, 10)] public int TransientAttempts { get; set; } = 1;

    public bool Enabled => KillAfterCommit > 0 || TransientFailureRate > 0 || PermanentFailureRate > 0;

    /// <summary>Refuses fault injection in Production, and rates that do not add up.</summary>
    internal sealed class Validator(IHostEnvironment environment) : IValidateOptions<FaultOptions>
    {
        public ValidateOptionsResult Validate(string? name, FaultOptions options)
        {
            if (options.Enabled && environment.IsProduction())
            {
                return ValidateOptionsResult.Fail(
                    "Messaging:Faults injects failures for the fault suite and is refused in Production; remove it from the configuration.");
            }
            if (options.TransientFailureRate + options.PermanentFailureRate > 1.0)
            {
                return ValidateOptionsResult.Fail("Messaging:Faults: TransientFailureRate + PermanentFailureRate must not exceed 1.");
            }
            return ValidateOptionsResult.Success;
        }
    }
}
