using System;

namespace Trunk.Contracts.Policy;

/// <summary>Request to Policy: may this account transfer to this target? Answered with <see cref="TransferAllowed"/> or <see cref="TransferDenied"/>.</summary>
public sealed record CheckTransfer(
    Guid CallId,
    DateTimeOffset At,
    Guid TransferId,
    Guid AccountId,
    Guid TrunkId,
    string TargetNumber,
    string ReferToHost) : ICallMessage;
