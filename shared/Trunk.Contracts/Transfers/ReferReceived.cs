using System;

namespace Trunk.Contracts.Transfers;

/// <summary>The endpoint sent an in-dialog REFER that passed Signaling's syntax checks; Signaling holds it until <see cref="AnswerRefer"/>.</summary>
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
    bool NotifyRequested) : ICallEvent;
