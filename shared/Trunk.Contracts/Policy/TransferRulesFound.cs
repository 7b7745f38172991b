using System;

namespace Trunk.Contracts.Policy;

/// <summary>Policy's answer to <see cref="GetTransferRules"/>.</summary>
public sealed record TransferRulesFound(
    Guid CallId,
    DateTimeOffset At,
    AccountTransferRules Rules) : ICallMessage;
