using System.Collections.Concurrent;
using System.Net;

namespace Trunk.Sip.Transport;

/// <summary>
/// One <see cref="IPEndPoint"/> per address and port the stack sends to, shared by every destination that names them.
/// A finished transaction keeps its destination until its last timer (32 s over UDP: Timers D, J, M), and an end point
/// of its own was two objects (the end point and its address) promoted with each of the ~20,000 lingering at 300 calls/s
/// (bench/results/b2bua.md). The table is bounded: past its capacity a new end point is made each time. Nothing in the
/// stack changes an end point once made.
/// </summary>
internal sealed class SharedEndPoints(int capacity)
{
    /// <summary>The stack's table: far more end points than a trunk's peers.</summary>
    public static SharedEndPoints Default { get; } = new(4096);

    private readonly ConcurrentDictionary<(IPAddress Address, int Port), IPEndPoint> _known = new();
    private int _count;

    public IPEndPoint Get(IPAddress address, int port)
    {
        if (_known.TryGetValue((address, port), out var known))
        {
            return known;
        }

        var made = new IPEndPoint(address, port);
        if (Interlocked.Increment(ref _count) > capacity)
        {
            Interlocked.Decrement(ref _count);
            return made;
        }

        return _known.GetOrAdd((address, port), made);
    }
}
