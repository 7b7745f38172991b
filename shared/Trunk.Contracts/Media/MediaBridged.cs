using System;

namespace Trunk.Contracts.Media;

/// <summary>Media joined two legs; <see cref="Transcoding"/> names the conversion when the codecs differ.</summary>
public sealed record MediaBridged(
    Guid CallId,
    DateTimeOffset At,
    string Instance,
    LegSide From,
    LegSide To,
    string? Transcoding) : ICallEvent;
