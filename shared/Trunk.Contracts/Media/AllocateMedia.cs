using System;

namespace Trunk.Contracts.Media;

/// <summary>
/// Request to Media: anchor one leg; <see cref="RemoteSdp"/> is the SDP the leg sent (its offer, or its answer to
/// the offer Media made), or empty to ask Media for an offer to send the leg (an outbound leg, or a late offer).
/// </summary>
public sealed record AllocateMedia(
    Guid CallId,
    DateTimeOffset At,
    LegSide Leg,
    string RemoteSdp) : ICallMessage;
