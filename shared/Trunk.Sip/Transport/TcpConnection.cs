using System.Net;
using System.Net.Sockets;

namespace Trunk.Sip.Transport;

/// <summary>
/// One TCP connection: a read loop that frames messages (§18.3), answers double-CRLF pings with a
/// single CRLF (RFC 5626 §4.4.1), and closes on oversize input; and a serialised writer.
/// </summary>
internal sealed class TcpConnection : IAsyncDisposable
{
    private static readonly byte[] Pong = "\r\n"u8.ToArray();

    private readonly Socket _socket;
    private readonly StreamFramer _framer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private long _lastActivity;
    private int _disposed;

    public TcpConnection(Socket socket, IPEndPoint local, int maxMessageSize, TimeProvider time)
    {
        _socket = socket;
        _socket.NoDelay = true;
        Remote = (IPEndPoint)socket.RemoteEndPoint!;
        Local = local;
        _framer = new StreamFramer(maxMessageSize);
        _time = time;
        Touch();
    }

    public IPEndPoint Remote { get; }

    /// <summary>The listen point this connection belongs to (used as the Via sent-by).</summary>
    public IPEndPoint Local { get; }

    public DateTimeOffset LastActivity => new(Interlocked.Read(ref _lastActivity), TimeSpan.Zero);

    /// <summary>Reads until the peer closes, the input breaks a limit, or the connection is disposed.</summary>
    public async Task RunAsync(Action<ReceivedFrame> onFrame, TransportCounters counters)
    {
        var buffer = new byte[16 * 1024];
        var peer = new SipPeer(SipTransportProtocol.Tcp, Remote, Local);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                Touch();
                if (!_framer.Append(buffer.AsSpan(0, read)) || !await DrainAsync(onFrame, counters, peer).ConfigureAwait(false))
                {
                    counters.OnOversize();
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer went away or we closed the connection: either way the read loop ends here.
        }
    }

    private async ValueTask<bool> DrainAsync(Action<ReceivedFrame> onFrame, TransportCounters counters, SipPeer peer)
    {
        while (true)
        {
            switch (_framer.TryRead(out var message))
            {
                case FrameKind.NeedMore:
                    return true;
                case FrameKind.Oversize:
                    return false;
                case FrameKind.KeepAlivePing:
                    counters.OnKeepAlive();
                    await SendAsync(Pong, CancellationToken.None).ConfigureAwait(false);
                    break;
                case FrameKind.Message:
                    counters.OnReceived();
                    onFrame(new ReceivedFrame(message, peer));
                    break;
                case FrameKind.KeepAlivePong:
                    break;
            }
        }
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (!bytes.IsEmpty)
            {
                var sent = await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                bytes = bytes[sent..];
            }

            Touch();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivity, _time.GetUtcNow().UtcTicks);

    /// <summary>Idempotent: the read loop's end, the idle sweep and shutdown may all close the same connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer.
        }

        _socket.Dispose();
    }
}
