using System;

namespace Trunk.Contracts.Policy;

/// <summary>Policy's answer to <see cref="CheckTransfer"/>: allowed, with the target's country and price per minute.</summary>
public sealed record TransferAllowed(
    Guid CallId,
    DateTimeOffset At,
    Guid TransferId,
    string CountryCode,
    decimal PricePerMinute) : ICallMessage;
