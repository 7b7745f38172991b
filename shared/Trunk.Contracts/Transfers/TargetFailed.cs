using System;

namespace Trunk.Contracts.Transfers;

/// <summary>The target leg ended without an answer: its final SIP code (486, 603, 404, 480 for no answer, 503 for an unreachable carrier, …).</summary>
public sealed record TargetFailed(
    Guid CallId,
    DateTimeOffset At,
    string Instance,
    Guid TransferId,
    int SipCode,
    string Reason) : ICallEvent;
