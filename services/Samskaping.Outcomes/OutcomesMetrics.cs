using System.Diagnostics.Metrics;

namespace Samskaping.Outcomes;

/// <summary>
/// The outcomes meter (<c>Samskaping.Outcomes</c>): negative effects reported as they commit, by the instrument's
/// domain (gratitude debt, insecurity when support ends, …). Labels are domains only — never a case, a person or
/// what someone answered.
/// </summary>
public sealed class OutcomesMetrics
{
    public const string MeterName = "Samskaping.Outcomes";

    private readonly Counter<long> _negativeEffects;

    public OutcomesMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _negativeEffects = meter.CreateCounter<long>("samskaping.outcomes.negative_effects.reported", "{report}",
            "Negative-effect answers above Outcomes:NegativeEffectAlertLevel (each a NegativeEffectReported event), by domain.");
    }

    public void NegativeEffectReported(string domain) =>
        _negativeEffects.Add(1, new KeyValuePair<string, object?>("domain", domain));
}
