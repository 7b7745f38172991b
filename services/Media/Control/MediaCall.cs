using Trunk.Contracts;
using Trunk.Media.Relay;
using Trunk.Sip.Sdp;

namespace Trunk.Media.Control;

/// <summary>The legs of one call anchored at this instance; its lock orders the control commands of the call.</summary>
internal sealed class MediaCall(Guid id)
{
    public Guid Id { get; } = id;

    public Lock Gate { get; } = new();

    public Dictionary<LegSide, LegSession> Legs { get; } = [];

    /// <summary>The leg's session while its ports are held (a media timeout may have released them).</summary>
    public LegSession? Find(LegSide side) =>
        Legs.TryGetValue(side, out var session) && !session.Leg.Released ? session : null;

    /// <summary>A leg whose SDP exchange is complete, so that it has a codec and a peer.</summary>
    public MediaLeg? Negotiated(LegSide side) =>
        Find(side) is { Leg.AudioPayloadType: >= 0 } session ? session.Leg : null;

    /// <summary>Stops every other leg of the call sending to <paramref name="leg"/>.</summary>
    public void Detach(MediaLeg leg)
    {
        foreach (var other in Legs.Values)
        {
            if (other.Leg != leg && other.Leg.Forward == leg)
            {
                other.Leg.Forward = null;
            }
        }
    }
}

/// <summary>One leg's relay ports and its side of the SDP offer/answer with the leg's peer.</summary>
internal sealed class LegSession(MediaLeg leg, SdpOrigin origin)
{
    public MediaLeg Leg { get; } = leg;

    public SdpOrigin Origin { get; set; } = origin;

    /// <summary>Media's offer to the leg, waiting for its answer.</summary>
    public SdpSessionDescription? PendingOffer { get; set; }

    /// <summary>The leg's last SDP that Media accepted: the same SDP again (a 200 repeating its 183's answer, a redelivered request) changes nothing.</summary>
    public string? LastRemoteSdp { get; set; }

    /// <summary>The last SDP Media gave the leg (offer or answer), for o= versioning on the next one (RFC 3264 §8).</summary>
    public SdpSessionDescription? LocalSdp { get; set; }
}
