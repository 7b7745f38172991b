using System.Net;
using System.Net.Sockets;
using Trunk.Testing;

namespace Trunk.Signaling.Tests.Support;

/// <summary>
/// A TCP relay from a free loopback port to the test RabbitMQ. <see cref="Cut"/> closes every relayed connection and
/// refuses new ones, so the host behind it loses its broker as in an outage, without stopping the RabbitMQ others use;
/// <see cref="Restore"/> relays again on the same port.
/// </summary>
internal sealed class BrokerRelay : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly List<TcpClient> _connections = [];
    private TcpListener? _listener;

    private BrokerRelay(int port) => Port = port;

    public int Port { get; }

    public static BrokerRelay Start()
    {
        var relay = new BrokerRelay(FreePort.Tcp());
        relay.Restore();
        return relay;
    }

    public void Restore()
    {
        var listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        lock (_gate)
        {
            _listener = listener;
        }

        _ = AcceptAsync(listener);
    }

    public void Cut()
    {
        lock (_gate)
        {
            _listener?.Stop();
            _listener = null;
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }

            _connections.Clear();
        }
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync();
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var broker = new TcpClient();
            try
            {
                await broker.ConnectAsync(TestInfrastructure.RabbitHost, TestInfrastructure.RabbitPort);
            }
            catch (SocketException)
            {
                client.Dispose();
                broker.Dispose();
                continue;
            }

            lock (_gate)
            {
                _connections.Add(client);
                _connections.Add(broker);
            }

            _ = PumpAsync(client, broker);
            _ = PumpAsync(broker, client);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Cut, or one side closed.
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }
}
