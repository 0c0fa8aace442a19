namespace Samskaping.Gateway;

/// <summary>The services behind the gateway are the clusters in <c>ReverseProxy:Clusters</c>, one per service.</summary>
internal static class ServiceClusters
{
    public const string Section = "ReverseProxy:Clusters";

    public static IReadOnlyList<string> Names(IConfiguration configuration) =>
        [.. configuration.GetSection(Section).GetChildren().Select(c => c.Key)];
}
