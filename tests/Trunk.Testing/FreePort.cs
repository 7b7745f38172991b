using System.Net;
using System.Net.Sockets;

namespace Trunk.Testing;

/// <summary>Ports the operating system says are free right now, for servers a test starts.</summary>
public static class FreePort
{
    public static int Tcp()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
