using System.Net;
using System.Net.Sockets;

namespace Samskaping.IntegrationTests.Benefits.Lookup;

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
