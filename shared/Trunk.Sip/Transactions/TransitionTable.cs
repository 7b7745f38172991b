using System.Collections.Frozen;

namespace Trunk.Sip.Transactions;

/// <summary>
/// An immutable state × event table. A pair that has no row is absorbed: the event is ignored and
/// the state kept (e.g. a 1xx in Completed, §17.1.1.2).
/// </summary>
public sealed class TransitionTable
{
    private readonly FrozenDictionary<(TransactionState, TransactionEvent), Transition> _rows;

    public TransitionTable(string name, TransactionState initial, IEnumerable<Transition> rows)
    {
        Name = name;
        Initial = initial;
        Rows = [.. rows];
        _rows = Rows.ToFrozenDictionary(r => (r.From, r.On));
    }

    public string Name { get; }

    public TransactionState Initial { get; }

    public IReadOnlyList<Transition> Rows { get; }

    public bool TryFind(TransactionState state, TransactionEvent input, out Transition transition) =>
        _rows.TryGetValue((state, input), out transition);
}
