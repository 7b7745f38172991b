using System;

namespace Trunk.Contracts.Media;

/// <summary>A bridged leg received no RTP for <see cref="Silence"/>.</summary>
public sealed record NoAudioDetected(
    Guid CallId,
    DateTimeOffset At,
    string Instance,
    LegSide Leg,
    TimeSpan Silence) : ICallEvent;
