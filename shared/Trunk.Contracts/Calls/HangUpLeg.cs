using System;

namespace Trunk.Contracts.Calls;

/// <summary>Command to Signaling: end one leg with BYE (or CANCEL while it is unanswered).</summary>
public sealed record HangUpLeg(
    Guid CallId,
    DateTimeOffset At,
    LegSide Leg,
    string Reason) : ICallMessage;
