using System;

namespace Trunk.Contracts.Policy;

/// <summary>Policy's answer to <see cref="ReserveFunds"/> when the balance cannot cover it (NOTIFY 402); published, or sent to the request's response address.</summary>
public sealed record InsufficientFunds(
    Guid CallId,
    DateTimeOffset At,
    Guid TransferId,
    Guid AccountId,
    decimal Required,
    decimal Available) : ICallMessage;
