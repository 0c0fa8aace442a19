using System.ComponentModel.DataAnnotations;
using Samskaping.Outcomes.Scoring;
using Samskaping.ServiceDefaults;

namespace Samskaping.Outcomes;

/// <summary>The outcomes service's settings (section <c>Outcomes</c>), validated at start-up.</summary>
public sealed class OutcomesOptions : IValidatableObject
{
    public const string Section = "Outcomes";

    /// <summary>
    /// The secret behind the research export's pseudonyms (HMAC-SHA256 of the person id). Without it the service
    /// does not start: a default key would make every export re-identifiable by anyone who reads the code.
    /// </summary>
    [Required(ErrorMessage = "Outcomes:PseudonymKey is missing: set it (environment variable Outcomes__PseudonymKey) to a secret of at least 32 characters; the research export's pseudonyms are keyed with it.")]
    [MinLength(32, ErrorMessage = "Outcomes:PseudonymKey is too short: use a secret of at least 32 characters.")]
    public string? PseudonymKey { get; set; }

    /// <summary>An answer on a negative-effect item (0–10) strictly above this level alerts the case's coordinator.</summary>
    [Range(0, 9)] public int NegativeEffectAlertLevel { get; set; } = 6;

    /// <summary>Groups under this many people are never shown (small-cell suppression).</summary>
    [Range(3, 100)] public int MinimumCellSize { get; set; } = SmallCells.DefaultMinimum;

    /// <summary>
    /// Reliable-change norms per scoring version (<c>{instrument}-v{version}</c>) and domain: the reliability r and
    /// the reference SD behind the Jacobson–Truax index with the Christensen–Mendoza correction (see <see cref="ReliableChange"/>).
    /// </summary>
    public Dictionary<string, Dictionary<string, DomainNorm>> Scoring { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (version, domains) in Scoring)
        {
            foreach (var (domain, norm) in domains)
            {
                if (norm.Reliability is <= 0 or >= 1)
                {
                    yield return new ValidationResult($"Outcomes:Scoring:{version}:{domain}:Reliability must be between 0 and 1 (exclusive).");
                }
                if (norm.ReferenceSd <= 0)
                {
                    yield return new ValidationResult($"Outcomes:Scoring:{version}:{domain}:ReferenceSd must be positive.");
                }
            }
        }
    }

    public DomainNorm? Norm(string scoringKey, string domain) =>
        Scoring.TryGetValue(scoringKey, out var domains) && domains.TryGetValue(domain, out var norm) ? norm : null;
}
