using System;

namespace Trunk.Contracts.Transfers;

/// <summary>
/// Signaling answered a REFER with a failure itself (syntax, domain, private target, transfer in progress, decision
/// timeout). <see cref="TransferId"/> is set when the saga had been asked (the decision timeout): that transfer must stop.
/// </summary>
public sealed record ReferRejected(
    Guid CallId,
    DateTimeOffset At,
    string Instance,
    int SipCode,
    string Reason,
    Guid? TransferId = null) : ICallEvent;
