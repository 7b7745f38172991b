using System;

namespace Trunk.Contracts.Media;

/// <summary>Media's answer to <see cref="AllocateMedia"/>: the SDP to give the leg, pointing at the Media service.</summary>
public sealed record MediaAllocated(
    Guid CallId,
    DateTimeOffset At,
    LegSide Leg,
    string LocalSdp) : ICallMessage;
