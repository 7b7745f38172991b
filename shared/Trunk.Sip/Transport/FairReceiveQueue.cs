using System.Net;

namespace Trunk.Sip.Transport;

/// <summary>
/// Bounded per-source queues drained round-robin, so that a flood from one address cannot starve
/// the others (issue 3, transport limits). A full source queue drops the newest item and counts it.
/// A source is handed to one worker at a time: its next item is ready only after <see cref="Complete"/>,
/// so several workers never reorder one peer's messages (a 200 overtaking its 180 lost the 180).
/// </summary>
public sealed class FairReceiveQueue<T>
{
    private readonly object _gate = new();
    private readonly Dictionary<IPAddress, Queue<T>> _bySource = [];
    private readonly LinkedList<IPAddress> _ready = new();
    private readonly HashSet<IPAddress> _inFlight = [];
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
            if (queue.Count > 1 || _inFlight.Contains(source))
            {
                return true;
            }

            _ready.AddLast(source);
        }

        _available.Release();
        return true;
    }

    /// <summary>Takes the next item, visiting sources with queued items in turn.</summary>
    /// <summary>Takes the next item of the next ready source; call <see cref="Complete"/> with the source when done.</summary>
    public async ValueTask<(IPAddress Source, T Item)> DequeueAsync(CancellationToken cancellationToken)
    {
        await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            var source = _ready.First!.Value;
            _ready.RemoveFirst();
            _inFlight.Add(source);
            return (source, _bySource[source].Dequeue());
        }
    }

    /// <summary>The worker finished the source's item: its next one, if any, becomes ready (at the back of the turn).</summary>
    public void Complete(IPAddress source)
    {
        lock (_gate)
        {
            _inFlight.Remove(source);
            if (_bySource[source].Count == 0)
            {
                _bySource.Remove(source);
                return;
            }

            _ready.AddLast(source);
        }

        _available.Release();
    }
}
