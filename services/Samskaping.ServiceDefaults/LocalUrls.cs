using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace Samskaping.ServiceDefaults;

public static class LocalUrls
{
    /// <summary>
    /// Listens on 127.0.0.1:<paramref name="port"/> only when nothing else says where to listen. Set in code, not
    /// as "Urls" in appsettings.json, which would win over ASPNETCORE_URLS and the container images'
    /// ASPNETCORE_HTTP_PORTS.
    /// </summary>
    public static WebApplicationBuilder ListenLocallyByDefault(this WebApplicationBuilder builder, int port)
    {
        var configured = new[] { WebHostDefaults.ServerUrlsKey, WebHostDefaults.HttpPortsKey, WebHostDefaults.HttpsPortsKey }
            .Any(key => !string.IsNullOrEmpty(builder.Configuration[key]))
            || builder.Configuration.GetSection("Kestrel:Endpoints").Exists();
        if (!configured)
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }
        return builder;
    }
}
