using System;

namespace Trunk.Contracts.Media;

/// <summary>Command to Media: relay audio between two legs, transcoding G.711 when their codecs differ.</summary>
public sealed record BridgeMedia(
    Guid CallId,
    DateTimeOffset At,
    LegSide From,
    LegSide To) : ICallMessage;
