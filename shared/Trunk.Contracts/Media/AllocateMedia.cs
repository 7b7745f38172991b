using System;

namespace Trunk.Contracts.Media;

/// <summary>Request to Media: anchor one leg; <see cref="RemoteSdp"/> is the leg's offer or answer.</summary>
public sealed record AllocateMedia(
    Guid CallId,
    DateTimeOffset At,
    LegSide Leg,
    string RemoteSdp) : ICallMessage;
