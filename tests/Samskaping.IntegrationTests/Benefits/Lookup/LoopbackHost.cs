using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Samskaping.IntegrationTests.Benefits.Lookup;

/// <summary>
/// A process of the system (a service, the gateway or the NAV simulator) in this test process, on a real loopback
/// port — a chosen one when another process must know the address before this one starts (the simulator posts
/// inbound notifications to the gateway, which starts last).
/// </summary>
public sealed class LoopbackHost<TMarker>(IReadOnlyDictionary<string, string?> settings, int port = 0)
    : WebApplicationFactory<TMarker> where TMarker : class
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.UseEnvironment("Testing");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }

    public Uri Start()
    {
        UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        return new Uri(addresses!.Addresses.First());
    }
}

public static class LoopbackPorts
{
    /// <summary>A port free right now (the OS picks it), for a host that starts a little later.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
