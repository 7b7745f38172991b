using System;

namespace Trunk.Contracts.Policy;

/// <summary>Request to Policy: hold the price of <see cref="Minutes"/> minutes to the target on the account's balance.</summary>
public sealed record ReserveFunds(
    Guid CallId,
    DateTimeOffset At,
    Guid TransferId,
    Guid AccountId,
    string TargetNumber,
    int Minutes) : ICallMessage;
