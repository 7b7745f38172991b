using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Trunk.Policy.Balances;

/// <summary>Keeps each account's <see cref="Balance"/> document in step with its stream, in the same transaction.</summary>
public sealed class BalanceProjection : SingleStreamProjection<Balance, Guid>
{
    public override Balance Evolve(Balance? snapshot, Guid id, IEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return (snapshot ?? Balance.Empty(id)).Evolve(e.Data);
    }
}
