using System;

namespace Trunk.Contracts.Policy;

/// <summary>Policy released an unused reservation.</summary>
public sealed record FundsReleased(
    Guid CallId,
    DateTimeOffset At,
    string Instance,
    Guid TransferId,
    Guid AccountId,
    decimal Amount) : ICallEvent;
