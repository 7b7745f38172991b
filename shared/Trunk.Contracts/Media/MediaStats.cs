using System;

namespace Trunk.Contracts.Media;

/// <summary>RTP quality of one leg when it ended (RFC 3550 A.8).</summary>
public sealed record MediaStats(
    Guid CallId,
    DateTimeOffset At,
    string Instance,
    LegSide Leg,
    long Packets,
    long Bytes,
    long PacketsLost,
    double JitterMilliseconds,
    DateTimeOffset? LastPacketAt) : ICallEvent;
