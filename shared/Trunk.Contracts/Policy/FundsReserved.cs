using System;

namespace Trunk.Contracts.Policy;

/// <summary>Policy held <see cref="Amount"/> on the account for the transfer.</summary>
public sealed record FundsReserved(
    Guid CallId,
    DateTimeOffset At,
    string Instance,
    Guid TransferId,
    Guid AccountId,
    decimal Amount) : ICallEvent;
