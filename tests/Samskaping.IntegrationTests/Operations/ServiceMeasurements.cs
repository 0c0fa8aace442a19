using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Samskaping.ServiceDefaults;
using Shouldly;

namespace Samskaping.IntegrationTests.Operations;

/// <summary>One measurement of one of our instruments, with its labels.</summary>
internal sealed record Measured(string Meter, string Instrument, double Value, IReadOnlyDictionary<string, string> Labels)
{
    public bool Has(params (string Key, string Value)[] labels) =>
        labels.All(l => Labels.TryGetValue(l.Key, out var v) && v == l.Value);
}

/// <summary>
/// Every measurement of the Samskaping meters of ONE service host, as that host's meter factory made them: other
/// hosts in the test process (other fixtures, running at the same time) have factories of their own and are not heard.
/// </summary>
internal sealed partial class ServiceMeasurements : IDisposable
{
    /// <summary>The only label keys our instruments may carry: none of them can name a person, a case or a household.</summary>
    public static readonly IReadOnlySet<string> AllowedLabels = new HashSet<string>(StringComparer.Ordinal)
    {
        "sector", "status", "fund", "account", "state", "outcome", "message_type", "consumer", "action", "domain", "ground",
    };

    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measured> _measured = new();

    public ServiceMeasurements(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Meter.Name.StartsWith(Extensions.TelemetryPrefix + ".", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Record(i, value, tags));
        _listener.Start();
    }

    /// <summary>Every value the instruments have recorded, the observable ones (gauges) read once more first.</summary>
    public IReadOnlyList<Measured> Read()
    {
        _listener.RecordObservableInstruments();
        return [.. _measured];
    }

    /// <summary>The sum of a counter's (or histogram's count of) measurements with these labels.</summary>
    public double Sum(string instrument, params (string, string)[] labels) =>
        Read().Where(m => m.Instrument == instrument && m.Has(labels)).Sum(m => m.Value);

    public int Count(string instrument, params (string, string)[] labels) =>
        Read().Count(m => m.Instrument == instrument && m.Has(labels));

    /// <summary>A gauge's value now, from a reading made for this call: null when that reading has none with these labels.</summary>
    public double? Gauge(string instrument, params (string, string)[] labels)
    {
        var before = _measured.Count;
        _listener.RecordObservableInstruments();
        return _measured.Skip(before).LastOrDefault(m => m.Instrument == instrument && m.Has(labels))?.Value;
    }

    /// <summary>
    /// No label key outside <see cref="AllowedLabels"/>, and no value that could be a person: an identity number (11
    /// digits), a name (a space), or anything longer than a sector, status or fund id.
    /// </summary>
    public void ShouldCarryNoPersonalData()
    {
        var all = Read();
        all.ShouldNotBeEmpty();
        foreach (var m in all)
        {
            foreach (var (key, value) in m.Labels)
            {
                AllowedLabels.ShouldContain(key, $"{m.Instrument} has the label {key}, which is not on the allow-list");
                AllowedValue().IsMatch(value).ShouldBeTrue($"{m.Instrument} {key}=\"{value}\" does not look like a code, a status or an id");
                ElevenDigits().IsMatch(value).ShouldBeFalse($"{m.Instrument} {key}=\"{value}\" looks like an identity number");
            }
        }
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, tag) in tags)
        {
            labels[key] = Convert.ToString(tag, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        }
        _measured.Enqueue(new Measured(instrument.Meter.Name, instrument.Name, value, labels));
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]{0,40}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex AllowedValue();

    // Eleven digits standing alone: inside a uuid's hex (…d81782499298) they are not a number of anyone.
    [GeneratedRegex("(?<![0-9A-Za-z])[0-9]{11}(?![0-9A-Za-z])")]
    private static partial Regex ElevenDigits();

    public void Dispose() => _listener.Dispose();
}
