using System.Diagnostics.Metrics;

namespace Samskaping.Access;

/// <summary>
/// The privacy meter every service has (<c>Samskaping.Privacy</c>): cases whose personal data this service has
/// anonymised, by ground (<see cref="Contracts.Cases.AnonymisationGrounds"/>). Which service did it is the service's
/// own telemetry resource, not a label, so the one counter means the same in all five.
/// </summary>
public sealed class AnonymisationMetrics
{
    public const string MeterName = "Samskaping.Privacy";

    private readonly Counter<long> _anonymised;

    public AnonymisationMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _anonymised = meter.CreateCounter<long>("samskaping.privacy.anonymisations", "{case}",
            "Cases whose personal data this service removed or anonymised, by ground (retention-expired, opened-by-mistake).");
    }

    /// <summary>Counted after the anonymisation's transaction committed, once per case and service (a repeat that the
    /// inbox or the audit row recognises is not counted again).</summary>
    public void Anonymised(string ground) =>
        _anonymised.Add(1, new KeyValuePair<string, object?>("ground", ground));
}
