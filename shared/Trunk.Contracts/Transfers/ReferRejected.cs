using System;

namespace Trunk.Contracts.Transfers;

/// <summary>Signaling answered a REFER with a failure without asking the saga (syntax, domain, private target, transfer in progress, decision timeout).</summary>
public sealed record ReferRejected(
    Guid CallId,
    DateTimeOffset At,
    string Instance,
    int SipCode,
    string Reason) : ICallEvent;
