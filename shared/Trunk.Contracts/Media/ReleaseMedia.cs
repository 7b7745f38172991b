using System;

namespace Trunk.Contracts.Media;

/// <summary>Command to Media: free the leg's ports.</summary>
public sealed record ReleaseMedia(
    Guid CallId,
    DateTimeOffset At,
    LegSide Leg) : ICallMessage;
