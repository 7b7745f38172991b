namespace Trunk.Policy.Balances;

// The facts of an account's balance stream (stream id = account id). Amounts are in the account's currency.

/// <summary>Money added to the account; <see cref="Reference"/> makes a repeated top-up a no-op.</summary>
public sealed record BalanceToppedUp(Guid AccountId, decimal Amount, string Reference, DateTimeOffset At);

/// <summary>Money held for a transfer: <see cref="Minutes"/> at <see cref="PricePerMinute"/>.</summary>
public sealed record FundsReserved(Guid AccountId, Guid TransferId, Guid CallId, decimal Amount, decimal PricePerMinute, int Minutes, DateTimeOffset At);

/// <summary>The real cost of a transferred call, taken from its reservation (and from the balance for an overrun).</summary>
public sealed record CallCharged(Guid AccountId, Guid TransferId, Guid CallId, decimal Amount, TimeSpan Duration, DateTimeOffset At);

/// <summary>The unused rest of a reservation, returned to the balance.</summary>
public sealed record FundsReleased(Guid AccountId, Guid TransferId, Guid CallId, decimal Amount, DateTimeOffset At);

/// <summary>
/// A reservation held past <c>Policy:ReservationLifetime</c> with no charge (its settlement was lost: a charge parked in
/// an error queue, a saga gone): its money is returned to the balance. A charge that still comes is taken from the
/// balance at <see cref="PricePerMinute"/>.
/// </summary>
public sealed record ReservationExpired(Guid AccountId, Guid TransferId, Guid CallId, decimal Amount, decimal PricePerMinute, DateTimeOffset ReservedAt, DateTimeOffset At);
