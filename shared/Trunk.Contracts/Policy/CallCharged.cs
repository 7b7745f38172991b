using System;

namespace Trunk.Contracts.Policy;

/// <summary>Policy charged the account for the transferred call.</summary>
public sealed record CallCharged(
    Guid CallId,
    DateTimeOffset At,
    string Instance,
    Guid TransferId,
    Guid AccountId,
    decimal Amount) : ICallEvent;
