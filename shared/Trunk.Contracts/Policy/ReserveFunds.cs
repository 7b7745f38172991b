using System;

namespace Trunk.Contracts.Policy;

/// <summary>
/// Request to Policy: hold the price of <see cref="Minutes"/> minutes to the target on the account's balance. Published
/// (by Signaling at a REFER's 202, or by the saga) without a response address: Policy publishes its answer,
/// <see cref="FundsReserved"/> or <see cref="InsufficientFunds"/>, and the saga's shard receives it in the call's order;
/// a request with a response address gets the answer there too.
/// </summary>
public sealed record ReserveFunds(
    Guid CallId,
    DateTimeOffset At,
    Guid TransferId,
    Guid AccountId,
    string TargetNumber,
    int Minutes) : ICallMessage;
