using System;

namespace Trunk.Contracts.Transfers;

/// <summary>The target answered 180 or 183; <see cref="EarlyMedia"/> when the provisional response carried SDP.</summary>
public sealed record TargetRinging(
    Guid CallId,
    DateTimeOffset At,
    string Instance,
    Guid TransferId,
    int SipCode,
    bool EarlyMedia) : ICallEvent;
