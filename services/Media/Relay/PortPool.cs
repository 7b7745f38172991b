using System.Net;
using System.Net.Sockets;

namespace Trunk.Media.Relay;

/// <summary>
/// The configured port range as pairs: RTP on the even port, RTCP on the odd one above it (RFC 3550 §11). A pair
/// whose ports another program holds is skipped and tried again later; none free means the range is exhausted.
/// </summary>
internal sealed class PortPool(IPAddress bindAddress, int firstPort, int lastPort)
{
    private readonly Queue<int> _free = new(Enumerable.Range(0, PairCount(firstPort, lastPort)));

    public int Capacity { get; } = PairCount(firstPort, lastPort);

    public int InUse { get; private set; }

    public static int PairCount(int firstPort, int lastPort) => Math.Max(0, (lastPort - EvenAtOrAbove(firstPort) + 1) / 2);

    public int PortOf(int pair) => EvenAtOrAbove(firstPort) + (2 * pair);

    /// <summary>Binds a free pair; returns its index, or -1 when every pair is taken or unbindable. Callers hold a lock.</summary>
    public int TryTake(out Socket? rtp, out Socket? rtcp)
    {
        for (var attempts = _free.Count; attempts > 0; attempts--)
        {
            var pair = _free.Dequeue();
            if (TryBind(PortOf(pair), out rtp, out rtcp))
            {
                InUse++;
                return pair;
            }

            _free.Enqueue(pair);
        }

        rtp = null;
        rtcp = null;
        return -1;
    }

    public void Return(int pair)
    {
        InUse--;
        _free.Enqueue(pair);
    }

    private static int EvenAtOrAbove(int port) => port + (port & 1);

    private bool TryBind(int port, out Socket? rtp, out Socket? rtcp)
    {
        rtp = Bind(port);
        rtcp = rtp is null ? null : Bind(port + 1);
        if (rtcp is null)
        {
            rtp?.Dispose();
            rtp = null;
            return false;
        }

        return true;
    }

    private Socket? Bind(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.ReceiveBufferSize = 128 * 1024;
            socket.Bind(new IPEndPoint(bindAddress, port));
            return socket;
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }
}
