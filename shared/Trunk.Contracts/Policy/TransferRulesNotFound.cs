using System;

namespace Trunk.Contracts.Policy;

/// <summary>Policy's answer to <see cref="GetTransferRules"/> for an account it does not know.</summary>
public sealed record TransferRulesNotFound(
    Guid CallId,
    DateTimeOffset At,
    Guid AccountId) : ICallMessage;
