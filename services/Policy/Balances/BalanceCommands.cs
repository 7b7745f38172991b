namespace Trunk.Policy.Balances;

/// <summary>Add money to the account.</summary>
public sealed record TopUp(Guid AccountId, decimal Amount, string Reference);

/// <summary>Hold <see cref="Minutes"/> minutes at <see cref="PricePerMinute"/> for a transfer.</summary>
public sealed record Reserve(Guid AccountId, Guid TransferId, Guid CallId, decimal PricePerMinute, int Minutes);

/// <summary>Charge a transfer's real duration and release the rest of its reservation.</summary>
public sealed record Charge(Guid AccountId, Guid TransferId, Guid CallId, TimeSpan Duration);

/// <summary>What a reservation came to: the events to append, and whether the balance covered it.</summary>
public sealed record ReservationDecision(IReadOnlyList<object> Events, bool Covered, decimal Amount, decimal Available);

/// <summary>What a charge came to: the events to append and the amount charged (the first charge's, when repeated).</summary>
public sealed record ChargeDecision(IReadOnlyList<object> Events, decimal Charged, decimal Released);
