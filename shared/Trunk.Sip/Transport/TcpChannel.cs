using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Trunk.Sip.Transport;

/// <summary>
/// A TCP listen point and its connections (RFC 3261 §18): accepted and opened connections are kept
/// by remote end point and reused for later messages to that end (§18.1.1, §18.2.2), and closed
/// after <see cref="SipTransportOptions.TcpIdleTimeout"/> without traffic.
/// </summary>
internal sealed class TcpChannel : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly SipTransportOptions _options;
    private readonly TimeProvider _time;
    private readonly Action<ReceivedFrame> _onFrame;
    private readonly TransportCounters _counters;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<IPEndPoint, TcpConnection> _connections = new();
    private readonly CancellationTokenSource _stop = new();
    private ITimer? _idleSweep;
    private Task _acceptLoop = Task.CompletedTask;

    public TcpChannel(IPEndPoint bind, SipTransportOptions options, TimeProvider time, Action<ReceivedFrame> onFrame,
        TransportCounters counters, ILogger logger)
    {
        _listener = new Socket(bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(bind);
        _listener.Listen(512);
        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _options = options;
        _time = time;
        _onFrame = onFrame;
        _counters = counters;
        _logger = logger;
    }

    public IPEndPoint LocalEndPoint { get; }

    public int ConnectionCount => _connections.Count;

    public void Start()
    {
        _acceptLoop = Task.Run(AcceptLoopAsync);
        var period = _options.TcpIdleTimeout / 2;
        _idleSweep = _time.CreateTimer(_ => CloseIdle(), null, period, period);
    }

    /// <summary>Sends over the connection to <paramref name="remote"/>, opening one if there is none.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> message, IPEndPoint remote, CancellationToken cancellationToken)
    {
        var connection = _connections.TryGetValue(remote, out var existing)
            ? existing
            : await ConnectAsync(remote, cancellationToken).ConfigureAwait(false);
        await connection.SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TcpConnection> ConnectAsync(IPEndPoint remote, CancellationToken cancellationToken)
    {
        if (_connections.Count >= _options.MaxTcpConnections)
        {
            throw new SocketException((int)SocketError.TooManyOpenSockets);
        }

        var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(remote, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connection = new TcpConnection(socket, LocalEndPoint, _options.MaxMessageSize, _time);
        var kept = _connections.GetOrAdd(connection.Remote, connection);
        if (!ReferenceEquals(kept, connection))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            return kept;
        }

        _ = RunAsync(connection);
        return connection;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException exception)
            {
                _logger.ReceiveError(exception, "TCP", LocalEndPoint);
                continue;
            }

            if (_connections.Count >= _options.MaxTcpConnections)
            {
                socket.Dispose();
                continue;
            }

            var connection = new TcpConnection(socket, LocalEndPoint, _options.MaxMessageSize, _time);
            _connections[connection.Remote] = connection;
            _ = RunAsync(connection);
        }
    }

    private async Task RunAsync(TcpConnection connection)
    {
        await connection.RunAsync(_onFrame, _counters).ConfigureAwait(false);
        await CloseAsync(connection, "closed").ConfigureAwait(false);
    }

    private void CloseIdle()
    {
        var cutoff = _time.GetUtcNow() - _options.TcpIdleTimeout;
        foreach (var connection in _connections.Values.Where(c => c.LastActivity < cutoff))
        {
            _ = CloseAsync(connection, "idle");
        }
    }

    private async Task CloseAsync(TcpConnection connection, string reason)
    {
        if (_connections.TryRemove(new KeyValuePair<IPEndPoint, TcpConnection>(connection.Remote, connection)))
        {
            _logger.ConnectionClosed(connection.Remote, reason);
        }

        await connection.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _idleSweep?.Dispose();
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        foreach (var connection in _connections.Values)
        {
            await CloseAsync(connection, "shutdown").ConfigureAwait(false);
        }
    }
}
