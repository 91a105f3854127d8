using System.Net;
using System.Net.Sockets;

namespace Pta.Testing;

/// <summary>Asks the kernel for an unused loopback port, so parallel test runs never collide on fixed ports.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
