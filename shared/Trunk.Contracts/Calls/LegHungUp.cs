using System;

namespace Trunk.Contracts.Calls;

/// <summary>One leg of the call ended: who ended it, the SIP code of the last final response or BYE (200), and the Reason header (RFC 3326) when there was one.</summary>
public sealed record LegHungUp(
    Guid CallId,
    DateTimeOffset At,
    string Instance,
    LegSide Leg,
    LegSide? HungUpBy,
    int SipCode,
    string? Reason) : ICallEvent;
