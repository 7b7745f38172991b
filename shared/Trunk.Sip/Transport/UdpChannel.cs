using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Trunk.Sip.Transport;

/// <summary>
/// One UDP socket (RFC 3261 §18.1.1, §18.2.1): datagrams in, datagrams out, from the same socket so
/// that symmetric responses (RFC 3581) leave from the port the request reached.
/// </summary>
internal sealed class UdpChannel : IAsyncDisposable
{
    /// <summary>How many peers' end points are kept for reuse before the cache starts over.</summary>
    private const int MaxKnownPeers = 256;

    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    /// <summary>
    /// The end point of each peer heard from, by its socket address: a trunk hears from few peers, and an end point of
    /// its own for each datagram (what <c>ReceiveFromAsync</c> with an <see cref="EndPoint"/> returns) was kept by every
    /// server transaction for up to 32 s after its final response (bench/results/b2bua.md). Read by the receive loop only.
    /// </summary>
    private readonly Dictionary<SocketAddress, IPEndPoint> _knownPeers = [];

    private readonly Socket _socket;
    private readonly Action<ReceivedFrame> _onFrame;
    private readonly TransportCounters _counters;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public UdpChannel(IPEndPoint bind, int bufferSize, Action<ReceivedFrame> onFrame, TransportCounters counters, ILogger logger)
    {
        _socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
        {
            ReceiveBufferSize = bufferSize,
            SendBufferSize = bufferSize,
        };
        _socket.Bind(bind);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _onFrame = onFrame;
        _counters = counters;
        _logger = logger;
    }

    public IPEndPoint LocalEndPoint { get; }

    public void Start() => _loop = Task.Run(ReceiveLoopAsync);

    public async ValueTask SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint remote, CancellationToken cancellationToken) =>
        await _socket.SendToAsync(datagram, SocketFlags.None, remote, cancellationToken).ConfigureAwait(false);

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[65536];
        EndPoint any = LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0)
            : new IPEndPoint(IPAddress.Any, 0);
        var from = any.Serialize();
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, from, _stop.Token).ConfigureAwait(false);
                var datagram = buffer.AsSpan(0, received);
                // Keep-alives (CRLFs only) carry no message (RFC 5626 §4.4.1, §3.5.1 of RFC 3261 tolerance).
                if (datagram.Trim(Crlf).IsEmpty)
                {
                    continue;
                }

                _counters.OnReceived();
                var peer = new SipPeer(SipTransportProtocol.Udp, Remote(from, any), LocalEndPoint);
                _onFrame(new ReceivedFrame(datagram.ToArray(), peer));
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException exception)
            {
                // ICMP errors surface on the next receive on some systems; the socket stays usable.
                _logger.ReceiveError(exception, "UDP", LocalEndPoint);
            }
        }
    }

    private IPEndPoint Remote(SocketAddress address, EndPoint any)
    {
        if (_knownPeers.TryGetValue(address, out var known))
        {
            return known;
        }

        if (_knownPeers.Count >= MaxKnownPeers)
        {
            _knownPeers.Clear();
        }

        var remote = (IPEndPoint)any.Create(address);
        var key = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span[..address.Size].CopyTo(key.Buffer.Span);
        _knownPeers[key] = remote;
        return remote;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
