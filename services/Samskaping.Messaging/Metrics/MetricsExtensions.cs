using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Samskaping.Messaging.Metrics;

public static class MetricsExtensions
{
    /// <summary>
    /// A service's meter class (one <see cref="System.Diagnostics.Metrics.Meter"/> named <c>Samskaping.{Service}</c>,
    /// created through <see cref="System.Diagnostics.Metrics.IMeterFactory"/>, which ServiceDefaults' telemetry exports
    /// by its prefix): a singleton, created at start so its observable gauges are exported before the first request.
    /// </summary>
    public static IServiceCollection AddServiceMetrics<TMetrics>(this IServiceCollection services) where TMetrics : class
    {
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<TMetrics>();
        services.AddHostedService<CreatedAtStart<TMetrics>>();
        return services;
    }

    private sealed class CreatedAtStart<TMetrics>(TMetrics metrics) : IHostedService where TMetrics : class
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(metrics);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
