using System.Diagnostics.CodeAnalysis;

namespace Trunk.Sip.Transactions;

/// <summary>
/// A transaction layer's live transactions by key, behind one lock. A <see cref="Dictionary{TKey, TValue}"/> keeps its
/// entries in one array; a concurrent dictionary made a node object for each transaction, which a finished transaction
/// kept 32 s over UDP (Timers D, J, L, M) and the collector promoted with it (~20,000 at 300 calls/s,
/// bench/results/b2bua.md). Each call holds the lock for one lookup, add or removal.
/// </summary>
internal sealed class TransactionTable<TKey, TTransaction>
    where TKey : notnull
    where TTransaction : class
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, TTransaction> _transactions = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _transactions.Count;
            }
        }
    }

    public bool TryAdd(TKey key, TTransaction transaction)
    {
        lock (_gate)
        {
            return _transactions.TryAdd(key, transaction);
        }
    }

    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TTransaction transaction)
    {
        lock (_gate)
        {
            return _transactions.TryGetValue(key, out transaction);
        }
    }

    /// <summary>Removes the entry for <paramref name="key"/> only if it is still <paramref name="transaction"/>.</summary>
    public void Remove(TKey key, TTransaction transaction)
    {
        lock (_gate)
        {
            if (_transactions.TryGetValue(key, out var current) && ReferenceEquals(current, transaction))
            {
                _transactions.Remove(key);
            }
        }
    }
}
