using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Samskaping.IntegrationTests.EndToEnd;

/// <summary>
/// One process of the system (a service, the gateway or the NAV simulator), in this process but on a real loopback
/// port, so the others reach it over HTTP as in production. <paramref name="port"/>: a chosen one when another
/// process must know the address before this one starts (0: the OS picks). <paramref name="logs"/>: capture every
/// line at the process's own configured levels (as in production) instead of showing warnings only.
/// <paramref name="clock"/>: the time the process lives in, for tests that move it.
/// </summary>
public sealed class ServiceFactory<TMarker>(
    IReadOnlyDictionary<string, string?> settings, bool realPort = true, int port = 0, ILoggerProvider? logs = null, TimeProvider? clock = null)
    : WebApplicationFactory<TMarker> where TMarker : class
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.UseEnvironment("Testing");
        if (clock is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(clock));
        }
        builder.ConfigureLogging(logging =>
        {
            if (logs is null)
            {
                logging.SetMinimumLevel(LogLevel.Warning);
                return;
            }
            logging.ClearProviders();
            logging.AddProvider(logs);
        });
    }

    /// <summary>Starts the service on 127.0.0.1 and an ephemeral port; returns its base address.</summary>
    public Uri Start()
    {
        if (realPort)
        {
            UseKestrel(k => k.Listen(IPAddress.Loopback, port));
            StartServer();
        }
        else
        {
            _ = Server;
        }
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        return new Uri(addresses?.Addresses.FirstOrDefault() ?? "http://localhost");
    }
}
