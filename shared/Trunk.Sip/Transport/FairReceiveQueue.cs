using System.Net;

namespace Trunk.Sip.Transport;

/// <summary>
/// Bounded per-source queues drained round-robin, so that a flood from one address cannot starve
/// the others (issue 3, transport limits). A full source queue drops the newest item and counts it.
/// </summary>
public sealed class FairReceiveQueue<T>
{
    private readonly object _gate = new();
    private readonly Dictionary<IPAddress, Queue<T>> _bySource = [];
    private readonly LinkedList<IPAddress> _ready = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly int _perSourceCapacity;
    private long _dropped;

    public FairReceiveQueue(int perSourceCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perSourceCapacity, 1);
        _perSourceCapacity = perSourceCapacity;
    }

    /// <summary>Items refused because their source's queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues an item from <paramref name="source"/>; false (and counted) when that source's queue is full.</summary>
    public bool TryEnqueue(IPAddress source, T item)
    {
        lock (_gate)
        {
            if (!_bySource.TryGetValue(source, out var queue))
            {
                queue = new Queue<T>();
                _bySource[source] = queue;
            }

            if (queue.Count >= _perSourceCapacity)
            {
                Interlocked.Increment(ref _dropped);
                return false;
            }

            queue.Enqueue(item);
            if (queue.Count == 1)
            {
                _ready.AddLast(source);
            }
        }

        _available.Release();
        return true;
    }

    /// <summary>Takes the next item, visiting sources with queued items in turn.</summary>
    public async ValueTask<T> DequeueAsync(CancellationToken cancellationToken)
    {
        await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            var source = _ready.First!.Value;
            _ready.RemoveFirst();
            var queue = _bySource[source];
            var item = queue.Dequeue();
            if (queue.Count > 0)
            {
                _ready.AddLast(source);
            }
            else
            {
                _bySource.Remove(source);
            }

            return item;
        }
    }
}
