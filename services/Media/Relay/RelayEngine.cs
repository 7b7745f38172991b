using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Trunk.Contracts;
using Trunk.Contracts.Media;
using Trunk.Media.Tones;

namespace Trunk.Media.Relay;

/// <summary>
/// The RTP relay: port pairs from the configured range, a few receive loops (<see cref="RelayLoop"/>), and a clock
/// thread that plays ringback, raises no-audio alarms and releases legs whose peer went silent for the media timeout.
/// Relay timing uses <see cref="Stopwatch"/> ticks (monotonic, no allocation); <see cref="TimeProvider"/> only dates
/// the facts it publishes.
/// </summary>
internal sealed partial class RelayEngine : IDisposable
{
    private static readonly long TicksPerRtpClock = Stopwatch.Frequency / 8000;

    private readonly MediaSettings _settings;
    private readonly IMediaEventSink _events;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _instance;
    private readonly PortPool _ports;
    private readonly MediaLeg?[] _legs;
    private readonly int[] _generations;
    private readonly RelayLoop[] _loops;
    private readonly RelayClock _clock;
    private readonly Lock _gate = new();
    private readonly long _epochTicks = Stopwatch.GetTimestamp();
    private readonly DateTimeOffset _epoch;
    private long _unexpectedSources;
    private long _malformedPackets;
    private long _sendFailures;
    private long _allocationFailures;
    private int _disposed;

    public RelayEngine(MediaSettings settings, IMediaEventSink events, TimeProvider time, ILogger<RelayEngine> logger, string instance)
    {
        if (!Native.IsSupported)
        {
            throw new PlatformNotSupportedException("The media relay runs on Linux x86-64 (epoll, recvmmsg and sendto are called directly).");
        }

        _settings = settings;
        _events = events;
        _time = time;
        _logger = logger;
        _instance = instance;
        _epoch = time.GetUtcNow();
        _ports = new PortPool(settings.Bind, settings.PortMin, settings.PortMax);
        _legs = new MediaLeg?[_ports.Capacity];
        _generations = new int[_ports.Capacity];
        _loops = [.. Enumerable.Range(0, settings.ReceiveLoops).Select(i => new RelayLoop(this, i, logger))];
        RelatchTicks = Stopwatch.Frequency;
        _clock = new RelayClock(this, settings, logger);
    }

    public System.Net.IPAddress AdvertisedAddress => _settings.Advertised;

    public int PortsInUse
    {
        get
        {
            lock (_gate)
            {
                return _ports.InUse * 2;
            }
        }
    }

    public long UnexpectedSources => Interlocked.Read(ref _unexpectedSources);

    public long MalformedPackets => Interlocked.Read(ref _malformedPackets);

    public long SendFailures => Interlocked.Read(ref _sendFailures);

    public long AllocationFailures => Interlocked.Read(ref _allocationFailures);

    /// <summary>How long a latched peer must stay silent before another address may take its place.</summary>
    public long RelatchTicks { get; }

    public static long ToRtpClock(long ticks) => ticks / TicksPerRtpClock;

    public MediaLeg? LegAt(int slot) => (uint)slot < (uint)_legs.Length ? Volatile.Read(ref _legs[slot]) : null;

    /// <summary>Binds a port pair for the leg; null when the range is exhausted (logged and counted).</summary>
    public MediaLeg? Allocate(Guid callId, LegSide side)
    {
        MediaLeg leg;
        lock (_gate)
        {
            var pair = _ports.TryTake(out var rtp, out var rtcp);
            if (pair < 0)
            {
                Interlocked.Increment(ref _allocationFailures);
                LogPortsExhausted(_logger, callId, side, _ports.Capacity);
                return null;
            }

            leg = new MediaLeg(callId, side, pair, ++_generations[pair], rtp!, rtcp!, Stopwatch.GetTimestamp());
            Volatile.Write(ref _legs[pair], leg);
        }

        _loops[leg.Slot % _loops.Length].Add(leg);
        return leg;
    }

    /// <summary>Frees the leg's ports and publishes its <see cref="MediaStats"/>; a second release does nothing.</summary>
    public void Release(MediaLeg leg, string reason)
    {
        lock (_gate)
        {
            if (leg.Released)
            {
                return;
            }

            leg.Released = true;
            _loops[leg.Slot % _loops.Length].Remove(leg);
            Volatile.Write(ref _legs[leg.Slot], null);
            leg.RtpSocket.Dispose();
            leg.RtcpSocket.Dispose();
            _ports.Return(leg.Slot);
        }

        _clock.Forget(leg);
        var statistics = leg.Statistics;
        LogReleased(_logger, leg.CallId, leg.Side, leg.Port, reason, statistics.Packets, statistics.PacketsLost);
        _events.Publish(new MediaStats(leg.CallId, _time.GetUtcNow(), _instance, leg.Side, statistics.Packets, statistics.Bytes,
            statistics.PacketsLost, Math.Round(statistics.JitterMilliseconds, 3),
            statistics.LastPacketTicks == 0 ? null : ToTime(statistics.LastPacketTicks)), leg.Trace);
    }

    /// <summary>Plays the plan to the leg until <paramref name="earlyMediaFrom"/> sends its first packet to it (early media) or a bridge.</summary>
    public void StartRingback(MediaLeg leg, TonePlan plan, MediaLeg? earlyMediaFrom)
    {
        var now = Stopwatch.GetTimestamp();
        leg.Forward = null;
        leg.Bridged = false;
        leg.EarlyMediaFrom = earlyMediaFrom;
        leg.Ringback = new RingbackPlayer(plan, leg.Law, leg.PtimeMilliseconds, now, Stopwatch.Frequency * leg.PtimeMilliseconds / 1000);
        _clock.Play(leg);
    }

    public bool AcceptSource(MediaLeg leg, long source, long now)
    {
        if (!leg.Latched)
        {
            leg.Remote = source;
            leg.Latched = true;
            leg.LastPeerTicks = now;
            return true;
        }

        var remote = leg.Remote;
        if (source == remote)
        {
            leg.LastPeerTicks = now;
            return true;
        }

        // Symmetric RTP (RFC 4961) behind NAT: a new port on the same address is the same peer rebound; any address
        // may take over a peer that has been silent for a second (it moved); anything else is a stray or an attack.
        if (Native.SameAddress(source, remote) || now - leg.LastPeerTicks > RelatchTicks)
        {
            leg.Remote = source;
            leg.LastPeerTicks = now;
            LogRelatched(_logger, leg.CallId, leg.Side, Native.Unpack(source)?.ToString());
            return true;
        }

        Interlocked.Increment(ref _unexpectedSources);
        if (Interlocked.Increment(ref leg.UnexpectedSources) == 1)
        {
            LogUnexpectedSource(_logger, leg.CallId, leg.Side, Native.Unpack(source)?.ToString(), Native.Unpack(remote)?.ToString());
        }

        return false;
    }

    public void ReportMalformed(MediaLeg leg, int length)
    {
        Interlocked.Increment(ref _malformedPackets);
        if (Interlocked.Read(ref leg.MalformedPackets) == 1)
        {
            LogMalformed(_logger, leg.CallId, leg.Side, length);
        }
    }

    public void CountSendFailure() => Interlocked.Increment(ref _sendFailures);

    public void ReportNoAudio(MediaLeg leg, TimeSpan silence)
    {
        LogNoAudio(_logger, leg.CallId, leg.Side, silence.TotalSeconds);
        _events.Publish(new NoAudioDetected(leg.CallId, _time.GetUtcNow(), _instance, leg.Side, silence), leg.Trace);
    }

    public IEnumerable<MediaLeg> ActiveLegs()
    {
        for (var slot = 0; slot < _legs.Length; slot++)
        {
            if (Volatile.Read(ref _legs[slot]) is { } leg)
            {
                yield return leg;
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _clock.Dispose();
        foreach (var loop in _loops)
        {
            loop.Dispose();
        }

        foreach (var leg in ActiveLegs().ToList())
        {
            Release(leg, "shutdown");
        }
    }

    private DateTimeOffset ToTime(long ticks) => _epoch + Stopwatch.GetElapsedTime(_epochTicks, ticks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No free media port pair for call {CallId} leg {Leg}: all {Pairs} pairs are in use")]
    private static partial void LogPortsExhausted(ILogger logger, Guid callId, LegSide leg, int pairs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released call {CallId} leg {Leg} port {Port} ({Reason}): {Packets} packets received, {Lost} lost")]
    private static partial void LogReleased(ILogger logger, Guid callId, LegSide leg, int port, string reason, long packets, long lost);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} leg {Leg} latched to its peer's new address {Source}")]
    private static partial void LogRelatched(ILogger logger, Guid callId, LegSide leg, string? source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId} leg {Leg} dropped RTP from unexpected source {Source} (peer {Peer}); further ones are only counted")]
    private static partial void LogUnexpectedSource(ILogger logger, Guid callId, LegSide leg, string? source, string? peer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId} leg {Leg} dropped a malformed RTP packet of {Length} bytes; further ones are only counted")]
    private static partial void LogMalformed(ILogger logger, Guid callId, LegSide leg, int length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId} leg {Leg} is bridged but received no RTP for {Seconds:F1} s")]
    private static partial void LogNoAudio(ILogger logger, Guid callId, LegSide leg, double seconds);
}
