using System;

namespace Trunk.Contracts.Policy;

/// <summary>Request to Policy: charge the real duration of the transferred call and release the rest of the reservation.</summary>
public sealed record ChargeCall(
    Guid CallId,
    DateTimeOffset At,
    Guid TransferId,
    Guid AccountId,
    TimeSpan Duration) : ICallMessage;
