using System;

namespace Trunk.Contracts.Media;

/// <summary>Media's answer to <see cref="AllocateMedia"/> when no ports are free or the SDP has no common codec (Signaling answers 503 or 488).</summary>
public sealed record MediaAllocationFailed(
    Guid CallId,
    DateTimeOffset At,
    LegSide Leg,
    int SipCode,
    string Reason) : ICallMessage;
