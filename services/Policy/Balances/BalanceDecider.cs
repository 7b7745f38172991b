namespace Trunk.Policy.Balances;

/// <summary>
/// The balance rules as pure functions: given the folded state, a command and the time, the events to append.
/// Every command is idempotent: a top-up by its reference, a reservation and a charge by the transfer id.
/// </summary>
public static class BalanceDecider
{
    /// <summary>Money is kept to four decimals: per-second billing of sub-cent rates needs more than cents.</summary>
    public const int MoneyDecimals = 4;

    public static IReadOnlyList<object> Handle(Balance state, TopUp command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(command);
        if (command.Amount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(command), command.Amount, "A top-up must be positive.");
        }

        return state.TopUpReferences.Contains(command.Reference)
            ? []
            : [new BalanceToppedUp(command.AccountId, Money(command.Amount), command.Reference, now)];
    }

    public static ReservationDecision Handle(Balance state, Reserve command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(command);
        if (state.Reservations.TryGetValue(command.TransferId, out var existing))
        {
            return new ReservationDecision([], true, existing.Amount, state.Available);
        }

        if (state.Charges.ContainsKey(command.TransferId))
        {
            return new ReservationDecision([], true, 0m, state.Available);
        }

        var amount = Money(command.PricePerMinute * Math.Max(command.Minutes, 0));
        if (amount > state.Available)
        {
            return new ReservationDecision([], false, amount, state.Available);
        }

        var reserved = new FundsReserved(
            command.AccountId, command.TransferId, command.CallId, amount, command.PricePerMinute, command.Minutes, now);
        return new ReservationDecision([reserved], true, amount, state.Available - amount);
    }

    public static ChargeDecision Handle(Balance state, Charge command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(command);
        if (state.Charges.TryGetValue(command.TransferId, out var charged))
        {
            return new ChargeDecision([], charged, 0m);
        }

        // Per-second billing; an overrun beyond the reservation is charged in full (the saga ends calls at the limit).
        var seconds = (decimal)Math.Max(command.Duration.TotalSeconds, 0);
        if (!state.Reservations.TryGetValue(command.TransferId, out var reservation))
        {
            if (!state.Expired.TryGetValue(command.TransferId, out var price))
            {
                return new ChargeDecision([], 0m, 0m);
            }

            // Its reservation expired before the charge came: the call happened, so its cost comes from the balance.
            var late = Money(price * seconds / 60m);
            return new ChargeDecision([new CallCharged(command.AccountId, command.TransferId, command.CallId, late, command.Duration, now)], late, 0m);
        }

        var cost = Money(reservation.PricePerMinute * seconds / 60m);
        var released = Math.Max(reservation.Amount - cost, 0m);
        var facts = new List<object> { new CallCharged(command.AccountId, command.TransferId, command.CallId, cost, command.Duration, now) };
        if (released > 0)
        {
            facts.Add(new FundsReleased(command.AccountId, command.TransferId, command.CallId, released, now));
        }

        return new ChargeDecision(facts, cost, released);
    }

    /// <summary>Expires the reservations made before <paramref name="cutoff"/> (those of earlier versions, whose time is unknown, stay).</summary>
    public static IReadOnlyList<ReservationExpired> Expire(Balance state, DateTimeOffset cutoff, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        return [.. state.Reservations
            .Where(r => r.Value.ReservedAt is { } at && at < cutoff)
            .Select(r => new ReservationExpired(state.Id, r.Key, r.Value.CallId, r.Value.Amount, r.Value.PricePerMinute, r.Value.ReservedAt!.Value, now))];
    }

    public static Balance Fold(Guid accountId, IEnumerable<object> facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return facts.Aggregate(Balance.Empty(accountId), (state, fact) => state.Evolve(fact));
    }

    private static decimal Money(decimal amount) => Math.Round(amount, MoneyDecimals, MidpointRounding.AwayFromZero);
}
