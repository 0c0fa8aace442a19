using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry;
using Yarp.ReverseProxy;

namespace Samskaping.Gateway;

/// <summary>
/// The gateway is ready when every service behind it is: one check per cluster asks each destination's
/// <c>/health/ready</c>, with a short timeout so a hanging service cannot hang the probe.
/// </summary>
internal sealed class ServiceReadiness(string cluster, IProxyStateLookup proxy, IHttpClientFactory clients) : IHealthCheck
{
    public const string HttpClientName = "service-readiness";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!proxy.TryGetCluster(cluster, out var state) || state.Destinations.IsEmpty)
        {
            return HealthCheckResult.Unhealthy($"{cluster} has no destination configured.");
        }

        // Probes every few seconds would otherwise fill the trace store with root spans.
        using var quiet = SuppressInstrumentationScope.Begin();
        using var client = clients.CreateClient(HttpClientName);
        foreach (var destination in state.Destinations.Values)
        {
            var address = destination.Model.Config.Address;
            if (!await AnswersReady(client, address, cancellationToken))
            {
                // The answer is public (probes are anonymous): name the service, never its internal address.
                return HealthCheckResult.Unhealthy($"{cluster} is not ready.");
            }
        }
        return HealthCheckResult.Healthy();
    }

    private static async Task<bool> AnswersReady(HttpClient client, string address, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(new Uri(new Uri(address.TrimEnd('/') + "/"), "health/ready"), cancellationToken);
            return response.StatusCode == System.Net.HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
