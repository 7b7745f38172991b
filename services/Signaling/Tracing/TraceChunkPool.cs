namespace Trunk.Signaling.Tracing;

/// <summary>
/// Byte chunks of one size that calls write their traced SIP messages into while they last, handed back when a call's
/// batch is published. A call's trace lives as long as the call (a second or more): bytes allocated for it outlive the
/// youngest generation, so each collection that found the call alive copied them, into gen1 and then gen2 (the gen1
/// pauses that made the B2BUA's latency tail, bench/results/b2bua.md). A pooled chunk stays where it is, and holds no
/// references, so a collection neither copies nor scans it. Up to <c>maxKept</c> free chunks are kept; beyond that a
/// returned chunk is left to the GC, and a rent with none free allocates one.
/// </summary>
internal sealed class TraceChunkPool(int chunkSize, int maxKept)
{
    /// <summary>A one-second call's trace (about 14 messages, 7 KB) fits in one or two chunks.</summary>
    public const int DefaultChunkSize = 8192;

    /// <summary>32 MB of free chunks at most: about 2,000 live traced calls' worth.</summary>
    public const int DefaultMaxKept = 4096;

    private readonly object _gate = new();
    private readonly Stack<byte[]> _free = new();

    public int ChunkSize { get; } = chunkSize;

    /// <summary>Free chunks kept for the next rents.</summary>
    public int Kept
    {
        get
        {
            lock (_gate)
            {
                return _free.Count;
            }
        }
    }

    public byte[] Rent()
    {
        lock (_gate)
        {
            if (_free.TryPop(out var chunk))
            {
                return chunk;
            }
        }

        return new byte[ChunkSize];
    }

    /// <summary>Takes a chunk back; an array of another size (a message larger than a chunk had one of its own) is left to the GC.</summary>
    public void Return(byte[] chunk)
    {
        if (chunk.Length != ChunkSize)
        {
            return;
        }

        lock (_gate)
        {
            if (_free.Count < maxKept)
            {
                _free.Push(chunk);
            }
        }
    }
}
