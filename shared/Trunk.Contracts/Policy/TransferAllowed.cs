using System;

namespace Trunk.Contracts.Policy;

/// <summary>
/// Policy's answer to <see cref="CheckTransfer"/>: allowed, with the target's country, price per minute and the trunk's
/// ring timeout (how long the target may ring before the transfer fails with 480).
/// </summary>
public sealed record TransferAllowed(
    Guid CallId,
    DateTimeOffset At,
    Guid TransferId,
    string CountryCode,
    decimal PricePerMinute,
    TimeSpan RingTimeout) : ICallMessage;
