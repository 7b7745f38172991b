using System.Collections.Immutable;

namespace Trunk.Policy.Balances;

/// <summary>An open reservation: what a transfer may still spend; <see cref="ReservedAt"/> is unknown for those of earlier versions.</summary>
public sealed record Reservation(Guid CallId, decimal Amount, decimal PricePerMinute, DateTimeOffset? ReservedAt = null);

/// <summary>
/// An account's money, folded from its balance stream. <see cref="Available"/> excludes what is reserved;
/// <see cref="Charges"/> holds the settled transfers an earlier version remembered here; settlements are now
/// <see cref="Settlement"/> documents, which the ledger shows here for the transfer being decided, so that a repeated
/// charge or reservation changes nothing.
/// </summary>
public sealed record Balance
{
    public Guid Id { get; init; }

    public decimal Available { get; init; }

    public ImmutableDictionary<Guid, Reservation> Reservations { get; init; } = ImmutableDictionary<Guid, Reservation>.Empty;

    public ImmutableDictionary<Guid, decimal> Charges { get; init; } = ImmutableDictionary<Guid, decimal>.Empty;

    /// <summary>The price per minute of each expired reservation not charged yet (<see cref="ReservationExpired"/>).</summary>
    public ImmutableDictionary<Guid, decimal> Expired { get; init; } = ImmutableDictionary<Guid, decimal>.Empty;

    public ImmutableHashSet<string> TopUpReferences { get; init; } = ImmutableHashSet<string>.Empty;

    public decimal Reserved => Reservations.Values.Sum(r => r.Amount);

    public static Balance Empty(Guid accountId) => new() { Id = accountId };

    public Balance Evolve(object fact) => fact switch
    {
        BalanceToppedUp e => this with
        {
            Available = Available + e.Amount,
            TopUpReferences = TopUpReferences.Add(e.Reference),
        },
        FundsReserved e => this with
        {
            Available = Available - e.Amount,
            Reservations = Reservations.SetItem(e.TransferId, new Reservation(e.CallId, e.Amount, e.PricePerMinute, e.At)),
        },
        CallCharged e => ApplyCharge(e),
        FundsReleased e => this with
        {
            Available = Available + e.Amount,
            Reservations = Reservations.Remove(e.TransferId),
        },
        ReservationExpired e => this with
        {
            Available = Available + e.Amount,
            Reservations = Reservations.Remove(e.TransferId),
            Expired = Expired.SetItem(e.TransferId, e.PricePerMinute),
        },
        _ => this,
    };

    private Balance ApplyCharge(CallCharged e)
    {
        var held = Reservations.TryGetValue(e.TransferId, out var reservation) ? reservation.Amount : 0m;
        var fromReservation = Math.Min(held, e.Amount);
        var left = held - fromReservation;
        return this with
        {
            Available = Available - (e.Amount - fromReservation),
            Expired = Expired.Remove(e.TransferId),
            Reservations = reservation is null || left == 0
                ? Reservations.Remove(e.TransferId)
                : Reservations.SetItem(e.TransferId, reservation with { Amount = left }),
        };
    }
}
