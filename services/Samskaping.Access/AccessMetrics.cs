using System.Diagnostics.Metrics;

namespace Samskaping.Access;

/// <summary>
/// The access meter every service has (<c>Samskaping.Access</c>): access-log entries written, by action (read, list,
/// create, …). Counted when the statement ran, so an entry whose transaction rolls back later is counted too. Labels are
/// actions only — never who, which case or which person.
/// </summary>
public sealed class AccessMetrics
{
    public const string MeterName = "Samskaping.Access";

    private readonly Counter<long> _writes;

    public AccessMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _writes = meter.CreateCounter<long>("samskaping.access_log.writes", "{entry}",
            "Access-log entries written (one per person or case a read, list or change touched), by action.");
    }

    // An action is a word of the code (AccessActions and a few like it), never a caller's text: a safe, small label.
    internal void Written(string action, int entries) =>
        _writes.Add(entries, new KeyValuePair<string, object?>("action", action));
}
