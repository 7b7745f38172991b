using System;

namespace Trunk.Contracts.Transfers;

/// <summary>Signaling sent the INVITE of the target leg (C).</summary>
public sealed record TargetDialled(
    Guid CallId,
    DateTimeOffset At,
    string Instance,
    Guid TransferId,
    string TargetNumber,
    string SipCallId) : ICallEvent;
