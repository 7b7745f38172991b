using System;

namespace Trunk.Contracts.Transfers;

/// <summary>Command to Signaling: CANCEL the unanswered target leg (ring timeout, caller hung up).</summary>
public sealed record CancelTarget(
    Guid CallId,
    DateTimeOffset At,
    Guid TransferId,
    string Reason) : ICallMessage;
