using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Trunk.Contracts;
using Trunk.Media.Relay;
using Trunk.Media.Rtp;
using Trunk.Media.Tones;
using Trunk.Sip.Sdp;

namespace Trunk.Media.Control;

/// <summary>
/// The calls anchored at this instance and what the control commands do to them. Media ends the SDP exchange of each
/// leg itself (it answers a leg's offer, or offers and reads the answer), restricted to G.711 with telephone-event,
/// so that two legs with different laws are joined by transcoding and a new leg never needs a re-INVITE of the others.
/// </summary>
internal sealed partial class MediaCalls(RelayEngine engine, MediaSettings settings, ILogger<MediaCalls> logger)
{
    private const int TelephoneEventPayloadType = 101;
    private static readonly SdpCodec[] MuLawFirst = [SdpCodec.Pcmu, SdpCodec.Pcma];
    private static readonly SdpCodec[] ALawFirst = [SdpCodec.Pcma, SdpCodec.Pcmu];

    private readonly ConcurrentDictionary<Guid, MediaCall> _calls = new();

    public int CallCount => _calls.Count;

    /// <summary>The calls with a leg whose ports are still held (a media timeout may have released them all).</summary>
    public int AnchoredCount => engine.ActiveLegs().Select(leg => leg.CallId).Distinct().Count();

    public AllocationResult Allocate(Guid callId, LegSide side, string? remoteSdp)
    {
        var call = _calls.GetOrAdd(callId, id => new MediaCall(id));
        lock (call.Gate)
        {
            var session = call.Find(side);
            var isNew = session is null;
            if (session is null)
            {
                var leg = engine.Allocate(callId, side);
                if (leg is null)
                {
                    Forget(call);
                    return new AllocationResult.Failed(503, "no free media ports");
                }

                session = new LegSession(leg, SdpOrigin.Create(
                    Random.Shared.NextInt64(1, long.MaxValue).ToString(CultureInfo.InvariantCulture), 1, engine.AdvertisedAddress));
                call.Legs[side] = session;
            }

            var result = Negotiate(call, session, remoteSdp);
            if (result is AllocationResult.Failed failed)
            {
                LogAllocationFailed(logger, callId, side, failed.SipCode, failed.Reason);
                if (isNew)
                {
                    ReleaseLocked(call, side, "allocation failed");
                }
            }
            else
            {
                ConnectWhatIsReady(call);
            }

            return result;
        }
    }

    /// <summary>Plays ringback to the leg, or the target's early media once it sends some; false for an unknown or unnegotiated leg.</summary>
    public bool StartRingback(Guid callId, LegSide side, string? country)
    {
        if (!_calls.TryGetValue(callId, out var call))
        {
            return false;
        }

        lock (call.Gate)
        {
            if (call.Negotiated(side) is not { } leg)
            {
                return false;
            }

            var plan = TonePlan.Find(country) ?? TonePlan.Find(settings.DefaultCountry)!;
            call.Detach(leg);
            var early = side == LegSide.Target ? null : call.Negotiated(LegSide.Target);
            engine.StartRingback(leg, plan, early);
            if (early is not null)
            {
                early.Forward = leg;
            }

            LogRingback(logger, callId, side, plan.Country, early is not null);
            return true;
        }
    }

    /// <summary>Joins two negotiated legs both ways; returns the transcoding ("PCMU-PCMA") or "" when none, null when a leg is missing.</summary>
    public string? Bridge(Guid callId, LegSide from, LegSide to)
    {
        if (from == to || !_calls.TryGetValue(callId, out var call))
        {
            return null;
        }

        lock (call.Gate)
        {
            if (call.Negotiated(from) is not { } a || call.Negotiated(to) is not { } b)
            {
                return null;
            }

            call.Detach(a);
            call.Detach(b);
            a.ConnectBothWays(b, System.Diagnostics.Stopwatch.GetTimestamp());
            var transcoding = a.Law == b.Law ? string.Empty : $"{Name(a.Law)}-{Name(b.Law)}";
            LogBridged(logger, callId, from, to, transcoding);
            return transcoding;
        }
    }

    /// <summary>Frees the leg's ports (publishing its statistics); false when the call or leg is not here.</summary>
    public bool Release(Guid callId, LegSide side)
    {
        if (!_calls.TryGetValue(callId, out var call))
        {
            return false;
        }

        lock (call.Gate)
        {
            return ReleaseLocked(call, side, "released");
        }
    }

    /// <summary>Frees every leg of every call (publishing their statistics), for a stop; returns how many calls held ports.</summary>
    public int ReleaseAll(string reason)
    {
        var released = 0;
        foreach (var call in _calls.Values)
        {
            lock (call.Gate)
            {
                if (call.Legs.Values.Any(session => !session.Leg.Released))
                {
                    released++;
                }

                foreach (var side in call.Legs.Keys.ToList())
                {
                    ReleaseLocked(call, side, reason);
                }
            }
        }

        return released;
    }

    private static string Name(G711Law law) => law == G711Law.MuLaw ? "PCMU" : "PCMA";

    private bool ReleaseLocked(MediaCall call, LegSide side, string reason)
    {
        if (!call.Legs.Remove(side, out var session))
        {
            return false;
        }

        call.Detach(session.Leg);
        engine.Release(session.Leg, reason);
        Forget(call);
        return true;
    }

    private void Forget(MediaCall call)
    {
        if (call.Legs.Values.All(s => s.Leg.Released))
        {
            _calls.TryRemove(new KeyValuePair<Guid, MediaCall>(call.Id, call));
        }
    }

    private AllocationResult Negotiate(MediaCall call, LegSession session, string? remoteSdp)
    {
        if (string.IsNullOrWhiteSpace(remoteSdp))
        {
            var offer = CreateOffer(call, session);
            session.PendingOffer = offer;
            session.LocalSdp = offer;
            return new AllocationResult.Allocated(offer.ToString());
        }

        if (remoteSdp == session.LastRemoteSdp && session.LocalSdp is { } unchanged)
        {
            return new AllocationResult.Allocated(unchanged.ToString());
        }

        if (!SdpSessionDescription.TryParse(remoteSdp, out var sdp, out var error))
        {
            return new AllocationResult.Failed(488, $"unparsable SDP: {error}");
        }

        if (session.PendingOffer is { } pending)
        {
            if (SdpOfferAnswer.ReadAnswer(pending, sdp) is not { } answered)
            {
                return new AllocationResult.Failed(488, "the answer accepts no audio codec of the offer (PCMU, PCMA)");
            }

            session.PendingOffer = null;
            return Accept(session, remoteSdp, Configure(session.Leg, answered), pending);
        }

        var options = new SdpAnswerOptions(NextOrigin(session), engine.AdvertisedAddress, session.Leg.Port, OfferedG711(sdp))
        {
            PreviousAnswer = session.LocalSdp,
        };
        switch (SdpOfferAnswer.Answer(sdp, options))
        {
            case SdpAnswerResult.Accepted accepted:
                session.LocalSdp = accepted.Answer;
                return Accept(session, remoteSdp, Configure(session.Leg, accepted.Audio), accepted.Answer);
            case SdpAnswerResult.NoCommonCodec refused:
                return new AllocationResult.Failed(488, refused.Reason);
            default:
                return new AllocationResult.Failed(488, "the offer could not be answered");
        }
    }

    private static AllocationResult Accept(LegSession session, string remoteSdp, AllocationResult? refusal, SdpSessionDescription local)
    {
        if (refusal is not null)
        {
            return refusal;
        }

        session.LastRemoteSdp = remoteSdp;
        return new AllocationResult.Allocated(local.ToString());
    }

    /// <summary>The target is offered the caller's law first (then the other, which the relay transcodes), at the caller's packet time.</summary>
    private SdpSessionDescription CreateOffer(MediaCall call, LegSession session)
    {
        var reference = session.Leg.Side == LegSide.Caller ? null : call.Negotiated(LegSide.Caller);
        var codecs = reference?.Law == G711Law.ALaw ? ALawFirst : MuLawFirst;
        return SdpOfferAnswer.CreateOffer(new SdpOfferOptions(NextOrigin(session), engine.AdvertisedAddress, session.Leg.Port, codecs)
        {
            TelephoneEventPayloadType = TelephoneEventPayloadType,
            Ptime = reference?.PtimeMilliseconds ?? 20,
        });
    }

    private static SdpOrigin NextOrigin(LegSession session)
    {
        if (session.LocalSdp is { } previous)
        {
            session.Origin = previous.Origin.WithNextVersion();
        }

        return session.Origin;
    }

    /// <summary>The G.711 codecs of the offer, in the offerer's order of preference (RFC 3264 §6.1).</summary>
    private static SdpCodec[] OfferedG711(SdpSessionDescription offer)
    {
        var audio = offer.FirstActiveAudio;
        var maps = audio?.RtpMaps ?? [];
        var codecs = maps.Select(m => MuLawFirst.FirstOrDefault(c => c.Matches(m))).OfType<SdpCodec>().Distinct().ToList();
        return codecs.Count > 0 ? [.. codecs] : MuLawFirst;
    }

    private static AllocationResult? Configure(MediaLeg leg, SdpNegotiatedAudio audio)
    {
        var codec = audio.Codec;
        if (!SdpCodec.Pcmu.Matches(codec) && !SdpCodec.Pcma.Matches(codec))
        {
            return new AllocationResult.Failed(488, $"{codec.EncodingName}/{codec.ClockRate} is not G.711; the relay carries PCMU and PCMA");
        }

        leg.Law = SdpCodec.Pcmu.Matches(codec) ? G711Law.MuLaw : G711Law.ALaw;
        leg.EventPayloadType = audio.TelephoneEvent?.PayloadType ?? -1;
        leg.PtimeMilliseconds = Math.Clamp(audio.Ptime ?? 20, 10, 60) / 10 * 10;
        leg.AudioPayloadType = codec.PayloadType;
        if (!leg.Latched && audio.RemoteConnection is { } connection && audio.RemotePort > 0
            && connection.TryGetIPAddress(out var address) && address!.AddressFamily == AddressFamily.InterNetwork
            && !address.Equals(IPAddress.Any))
        {
            leg.Remote = Native.Pack(new IPEndPoint(address, audio.RemotePort));
            leg.RemoteRtcp = Native.Pack(new IPEndPoint(address, audio.RemoteRtcpPort is > 0 and <= 65535 ? audio.RemoteRtcpPort : audio.RemotePort + 1));
        }

        return null;
    }

    /// <summary>
    /// Caller and endpoint relay to each other as soon as both are negotiated (the first call needs no bridge command);
    /// a caller hearing ringback hears the target's early media as soon as the target's answer (183 or 200) is known.
    /// </summary>
    private static void ConnectWhatIsReady(MediaCall call)
    {
        var caller = call.Negotiated(LegSide.Caller);
        if (caller is null)
        {
            return;
        }

        var target = call.Negotiated(LegSide.Target);
        if (caller.Ringback is not null && target is not null && caller.EarlyMediaFrom is null)
        {
            caller.EarlyMediaFrom = target;
            target.Forward = caller;
            return;
        }

        var endpoint = call.Negotiated(LegSide.Endpoint);
        if (endpoint is not null && call.Find(LegSide.Target) is null && caller.Ringback is null
            && caller.Forward is null && endpoint.Forward is null)
        {
            caller.ConnectBothWays(endpoint, System.Diagnostics.Stopwatch.GetTimestamp());
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media for call {CallId} leg {Leg} refused with {SipCode}: {Reason}")]
    private static partial void LogAllocationFailed(ILogger logger, Guid callId, LegSide leg, int sipCode, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} leg {Leg} hears ringback ({Country}); target's early media ready: {EarlyMedia}")]
    private static partial void LogRingback(ILogger logger, Guid callId, LegSide leg, string country, bool earlyMedia);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} bridged {From} with {To}; transcoding: {Transcoding}")]
    private static partial void LogBridged(ILogger logger, Guid callId, LegSide from, LegSide to, string transcoding);
}
