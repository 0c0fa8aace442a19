using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Samskaping.ServiceDefaults;

namespace Samskaping.IntegrationTests.Operations;

/// <summary>
/// The Prometheus names of the Samskaping instruments a service host declares, as OpenTelemetry's Prometheus
/// exporter writes them: dots become underscores, a unit of seconds adds <c>_seconds</c>, an annotation unit
/// (<c>{case}</c>) adds nothing, and a counter ends in <c>_total</c>. The scrape test holds this to the exporter.
/// </summary>
internal static class MetricNames
{
    public static IReadOnlySet<string> Exported(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        // Called at Start for every instrument already created, and the meters are created when their host starts.
        listener.InstrumentPublished = (instrument, _) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Meter.Name.StartsWith(Extensions.TelemetryPrefix + ".", StringComparison.Ordinal))
            {
                lock (names)
                {
                    names.Add(Prometheus(instrument));
                }
            }
        };
        listener.Start();
        return names;
    }

    private static string Prometheus(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_');
        name += instrument.Unit switch
        {
            null or "" => "",
            "s" => "_seconds",
            ['{', .., '}'] => "",
            var unit => throw new InvalidOperationException($"{instrument.Name}: no Prometheus suffix known for the unit {unit}"),
        };
        var type = instrument.GetType();
        var counter = type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>));
        return counter ? name + "_total" : name;
    }
}
