using System.Buffers;
using System.Net;
using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Sip.Messages;

namespace Trunk.Signaling.Tracing;

/// <summary>
/// The SIP messages of one call not yet published; drained once the oldest has waited <see cref="SipTraceFlusher.MaxWait"/>
/// and at the end of the call. A message is written in its wire form (UTF-8) straight into chunks from the
/// <see cref="TraceChunkPool"/>, next to the end points it went between, and is written from there into the JSON of its
/// batch when the batch is published (<see cref="TracedMessages"/>): what a call keeps while it lasts, and a batch while it
/// waits for its turn, is pooled bytes the GC neither copies nor scans, and no text is made of them. The buffer is the messages'
/// <see cref="IBufferWriter{T}"/> (explicitly, for <see cref="SipMessage.WriteTo"/>): a message always lies in one chunk,
/// and one larger than a chunk gets an array of its own.
/// </summary>
internal sealed class SipTraceBuffer(TraceChunkPool pool) : IBufferWriter<byte>
{
    /// <summary>A one-second call traces about 14 messages (7 on each leg).</summary>
    private const int TypicalMessagesPerCall = 16;

    private readonly object _gate = new();
    private readonly List<CapturedMessage> _pending = new(TypicalMessagesPerCall);
    private readonly List<byte[]> _chunks = new(2);
    private DateTimeOffset _oldest;
    private byte[]? _chunk;
    private int _start;
    private int _position;

    public void Add(DateTimeOffset at, LegSide leg, SipDirection direction, string transport, IPEndPoint local, IPEndPoint remote, SipMessage message)
    {
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                _oldest = at;
            }

            _start = _position;
            message.WriteTo(this);
            _pending.Add(new CapturedMessage(at, leg, direction, transport, local, remote, _chunk!, _start, _position - _start));
        }
    }

    /// <summary>Every message waiting, or null when there is none.</summary>
    public TracedMessages? Drain() => Drain(DateTimeOffset.MaxValue);

    /// <summary>
    /// Every message waiting when the oldest was captured at or before <paramref name="cutoff"/>, else null. The messages
    /// take their chunks with them, back to the pool once written.
    /// </summary>
    public TracedMessages? Drain(DateTimeOffset cutoff)
    {
        lock (_gate)
        {
            if (_pending.Count == 0 || _oldest > cutoff)
            {
                return null;
            }

            var drained = new TracedMessages([.. _pending], [.. _chunks], pool);
            _pending.Clear();
            _chunks.Clear();
            _chunk = null;
            _start = _position = 0;
            return drained;
        }
    }

    void IBufferWriter<byte>.Advance(int count) => _position += count;

    Memory<byte> IBufferWriter<byte>.GetMemory(int sizeHint) => Room(sizeHint).AsMemory(_position);

    Span<byte> IBufferWriter<byte>.GetSpan(int sizeHint) => Room(sizeHint).AsSpan(_position);

    /// <summary>The chunk with at least <paramref name="sizeHint"/> bytes free after the message being written.</summary>
    private byte[] Room(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_chunk is not null && _chunk.Length - _position >= sizeHint)
        {
            return _chunk;
        }

        var written = _position - _start;
        var next = written + sizeHint <= pool.ChunkSize ? pool.Rent() : new byte[written + sizeHint];
        _chunk?.AsSpan(_start, written).CopyTo(next);
        _chunks.Add(next);
        _chunk = next;
        _start = 0;
        _position = written;
        return next;
    }
}
