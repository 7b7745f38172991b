using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Trunk.Contracts;
using Trunk.Media.Rtp;
using Trunk.Media.Tones;

namespace Trunk.Media.Relay;

/// <summary>
/// One leg anchored at the relay: an RTP/RTCP port pair (even/odd), the peer it talks to (from its SDP, then
/// latched from its packets: symmetric RTP, RFC 4961), its codec and telephone-event payload types, where its packets
/// go (<see cref="Forward"/>), and the reception statistics of what it sent us. Fields written by the receive loop
/// are read by the clock thread and the control path without locks: a stale read costs one packet, never a crash.
/// </summary>
internal sealed class MediaLeg
{
    private long _remote;
    private long _remoteRtcp;

    public MediaLeg(Guid callId, LegSide side, int slot, int generation, Socket rtp, Socket rtcp, long createdTicks)
    {
        // Allocated while Signaling's request is consumed: the consume span is the call's trace.
        Trace = Activity.Current?.Context ?? default;
        CallId = callId;
        Side = side;
        Slot = slot;
        Generation = generation;
        RtpSocket = rtp;
        RtcpSocket = rtcp;
        RtpFd = (int)rtp.Handle;
        RtcpFd = (int)rtcp.Handle;
        Port = ((IPEndPoint)rtp.LocalEndPoint!).Port;
        CreatedTicks = createdTicks;
        LastPeerTicks = createdTicks;
    }

    public Guid CallId { get; }

    /// <summary>The call's trace, which the leg's statistics and no-audio reports join.</summary>
    public ActivityContext Trace { get; }

    public LegSide Side { get; }

    public int Slot { get; }

    public int Generation { get; }

    public Socket RtpSocket { get; }

    public Socket RtcpSocket { get; }

    public int RtpFd { get; }

    public int RtcpFd { get; }

    /// <summary>The RTP port (even); RTCP is the next one.</summary>
    public int Port { get; }

    public long CreatedTicks { get; }

    public G711Law Law { get; set; }

    public int AudioPayloadType { get; set; } = -1;

    /// <summary>RFC 4733 telephone-event payload type of this leg, -1 when it has none.</summary>
    public int EventPayloadType { get; set; } = -1;

    public int PtimeMilliseconds { get; set; } = 20;

    /// <summary>Where RTP for this leg goes (packed, see <see cref="Native.Pack(IPEndPoint)"/>); 0 until its SDP or first packet says.</summary>
    public long Remote
    {
        get => Volatile.Read(ref _remote);
        set => Volatile.Write(ref _remote, value);
    }

    public long RemoteRtcp
    {
        get => Volatile.Read(ref _remoteRtcp);
        set => Volatile.Write(ref _remoteRtcp, value);
    }

    /// <summary>True once the peer's real address was learnt from its packets.</summary>
    public bool Latched { get; set; }

    /// <summary>Stopwatch ticks of the last packet from the latched peer (or of the allocation).</summary>
    public long LastPeerTicks { get; set; }

    public volatile MediaLeg? Forward;

    public volatile RingbackPlayer? Ringback;

    /// <summary>While <see cref="Ringback"/> plays, the leg whose first packet replaces the tone (early media).</summary>
    public volatile MediaLeg? EarlyMediaFrom;

    /// <summary>Set when the leg is bridged: from then on, silence from its peer is an alarm (<see cref="Contracts.Media.NoAudioDetected"/>).</summary>
    public volatile bool Bridged;

    public long BridgedTicks { get; set; }

    public bool NoAudioReported { get; set; }

    public volatile bool Released;

    public RtpStatistics Statistics { get; } = new();

    public long UnexpectedSources;

    public long MalformedPackets;

    public long RtcpPackets;

    /// <summary>Makes <paramref name="other"/> hear this leg and this leg hear it, and stops what played instead.</summary>
    public void ConnectBothWays(MediaLeg other, long nowTicks)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var leg in (ReadOnlySpan<MediaLeg>)[this, other])
        {
            leg.Ringback = null;
            leg.EarlyMediaFrom = null;
            leg.BridgedTicks = nowTicks;
            leg.NoAudioReported = false;
            leg.Bridged = true;
        }

        Forward = other;
        other.Forward = this;
    }
}
