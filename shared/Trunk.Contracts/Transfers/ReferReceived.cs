using System;

namespace Trunk.Contracts.Transfers;

/// <summary>
/// The endpoint sent an in-dialog REFER that passed Signaling's syntax checks. Without a <see cref="Decision"/> Signaling
/// holds it until the saga's <see cref="AnswerRefer"/>; with one, Signaling already answered it from Policy's pushed rules.
/// </summary>
public sealed record ReferReceived(
    Guid CallId,
    DateTimeOffset At,
    string Instance,
    Guid TransferId,
    string CommandQueue,
    Guid AccountId,
    Guid TrunkId,
    string CallerNumber,
    string TargetNumber,
    string ReferToHost,
    string? ReferredBy,
    uint ReferCSeq,
    bool NotifyRequested,
    ReferDecision? Decision = null) : ICallEvent;
