using System;

namespace Trunk.Contracts.Media;

/// <summary>
/// Media's answer to <see cref="AllocateMedia"/>: the SDP to give the leg, pointing at the Media service (its answer
/// to the leg's offer, or its offer to the leg when the request had no SDP), and the queue of the Media instance that
/// now holds the call, where every later Media command of the call must go.
/// </summary>
public sealed record MediaAllocated(
    Guid CallId,
    DateTimeOffset At,
    LegSide Leg,
    string LocalSdp,
    string Queue) : ICallMessage;
