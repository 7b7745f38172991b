using System;

namespace Trunk.Contracts.Media;

/// <summary>Command to Media: play the ringback tone of <see cref="CountryCode"/> to the leg, or relay the target's early media when there is some.</summary>
public sealed record StartRingback(
    Guid CallId,
    DateTimeOffset At,
    LegSide Leg,
    string CountryCode) : ICallMessage;
