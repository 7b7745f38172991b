using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Trunk.Media.Rtp;

namespace Trunk.Media.Relay;

/// <summary>
/// One receive thread with its own epoll set: each ready port gives what it queued (one recvmmsg), each datagram
/// checked, counted and sent on from the partner leg's port, in place, in this thread. Legs are spread over a few loops, one per core.
/// </summary>
internal sealed unsafe partial class RelayLoop : IDisposable
{
    private const int MaxEvents = 256;
    private const int BufferSize = 2048;

    // Datagrams taken from one ready port per call: one when the relay keeps up, all that queued when it fell behind.
    private const int Drain = 8;
    private const ulong RtcpFlag = 1UL << 31;

    private readonly RelayEngine _engine;
    private readonly ILogger _logger;
    private readonly int _epoll;
    private readonly Thread _thread;
    private volatile bool _stopping;

    public RelayLoop(RelayEngine engine, int index, ILogger logger)
    {
        _engine = engine;
        _logger = logger;
        _epoll = Native.epoll_create1(0);
        if (_epoll < 0)
        {
            throw new InvalidOperationException($"epoll_create1 failed (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}).");
        }

        _thread = new Thread(Run) { IsBackground = true, Name = $"media-relay-{index}", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    public void Add(MediaLeg leg)
    {
        Register(leg.RtpFd, Key(leg, rtcp: false));
        Register(leg.RtcpFd, Key(leg, rtcp: true));
    }

    public void Remove(MediaLeg leg)
    {
        Native.epoll_ctl(_epoll, Native.EpollCtlDel, leg.RtpFd, null);
        Native.epoll_ctl(_epoll, Native.EpollCtlDel, leg.RtcpFd, null);
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(2));
        Native.close(_epoll);
    }

    private static ulong Key(MediaLeg leg, bool rtcp) =>
        ((ulong)(uint)leg.Generation << 32) | (rtcp ? RtcpFlag : 0) | (uint)leg.Slot;

    private void Register(int fd, ulong key)
    {
        var epollEvent = new EpollEvent { Events = Native.EpollIn, Data = key };
        if (Native.epoll_ctl(_epoll, Native.EpollCtlAdd, fd, &epollEvent) != 0)
        {
            throw new InvalidOperationException($"epoll_ctl ADD failed (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}).");
        }
    }

    private void Run()
    {
        var events = stackalloc EpollEvent[MaxEvents];
        var buffers = stackalloc byte[BufferSize * Drain];
        var sources = stackalloc byte[Native.SockaddrInLength * Drain];
        var vectors = stackalloc IoVector[Drain];
        var headers = stackalloc MessageHeader[Drain];
        for (var j = 0; j < Drain; j++)
        {
            vectors[j] = new IoVector { Base = buffers + (j * BufferSize), Length = BufferSize };
            headers[j] = new MessageHeader { Name = sources + (j * Native.SockaddrInLength), Vector = vectors + j, VectorLength = 1 };
        }

        while (!_stopping)
        {
            var ready = Native.epoll_wait(_epoll, events, MaxEvents, 200);
            for (var i = 0; i < ready; i++)
            {
                var key = events[i].Data;
                var leg = _engine.LegAt((int)(key & 0x7FFFFFFF));
                if (leg is null || leg.Generation != (int)(key >> 32) || leg.Released)
                {
                    continue;
                }

                var rtcp = (key & RtcpFlag) != 0;
                for (var j = 0; j < Drain; j++)
                {
                    headers[j].NameLength = Native.SockaddrInLength;
                }

                var received = Native.recvmmsg(rtcp ? leg.RtcpFd : leg.RtpFd, headers, Drain, Native.MsgDontWait, null);
                for (var j = 0; j < received; j++)
                {
                    Relay(leg, rtcp, buffers + (j * BufferSize), (int)headers[j].Length, Native.Pack(sources + (j * Native.SockaddrInLength)));
                }
            }
        }
    }

    private void Relay(MediaLeg leg, bool rtcp, byte* buffer, int length, long source)
    {
        try
        {
            if (rtcp)
            {
                RelayRtcp(leg, buffer, length, source);
            }
            else
            {
                RelayRtp(leg, buffer, length, source);
            }
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // A bug must cost one packet, never the loop that carries every other call.
            LogPacketFailed(_logger, error, leg.CallId, leg.Side);
        }
    }

    private void RelayRtp(MediaLeg leg, byte* buffer, int length, long source)
    {
        var now = Stopwatch.GetTimestamp();
        if (!_engine.AcceptSource(leg, source, now))
        {
            return;
        }

        var packet = new Span<byte>(buffer, length);
        var offset = RtpHeader.PayloadOffset(packet, out var payloadLength);
        if (offset < 0)
        {
            Interlocked.Increment(ref leg.MalformedPackets);
            _engine.ReportMalformed(leg, length);
            return;
        }

        var payloadType = RtpHeader.PayloadType(packet);
        var isAudio = payloadType == leg.AudioPayloadType;
        leg.Statistics.Record(packet, payloadLength, isAudio, RelayEngine.ToRtpClock(now), now);
        var target = leg.Forward;
        if (target is null || target.Released)
        {
            return;
        }

        if (isAudio)
        {
            if (target.AudioPayloadType != payloadType)
            {
                RtpHeader.SetPayloadType(packet, target.AudioPayloadType);
            }

            if (G711.Converter(leg.Law, target.Law) is { } table)
            {
                G711.Convert(packet.Slice(offset, payloadLength), table);
            }
        }
        else if (payloadType == leg.EventPayloadType)
        {
            // RFC 4733 events keep their payload; only the number the other side gave telephone-event changes.
            if (target.EventPayloadType < 0)
            {
                return;
            }

            RtpHeader.SetPayloadType(packet, target.EventPayloadType);
        }

        if (target.Ringback is not null && target.EarlyMediaFrom == leg)
        {
            target.Ringback = null;
        }

        var destination = target.Remote;
        if (destination != 0 && !Native.SendTo(target.RtpFd, buffer, length, destination))
        {
            _engine.CountSendFailure();
        }
    }

    private void RelayRtcp(MediaLeg leg, byte* buffer, int length, long source)
    {
        Interlocked.Increment(ref leg.RtcpPackets);
        var remote = leg.Remote;
        if (remote != 0 && leg.Latched && !Native.SameAddress(remote, source))
        {
            Interlocked.Increment(ref leg.UnexpectedSources);
            return;
        }

        leg.RemoteRtcp = source;
        var target = leg.Forward;
        var destination = target?.RemoteRtcp ?? 0;
        if (target is not null && destination != 0)
        {
            Native.SendTo(target.RtcpFd, buffer, length, destination);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Relaying a packet of call {CallId} leg {Leg} failed")]
    private static partial void LogPacketFailed(ILogger logger, Exception error, Guid callId, Contracts.LegSide leg);
}
