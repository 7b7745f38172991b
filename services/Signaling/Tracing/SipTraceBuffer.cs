using System.Buffers;
using System.Net;
using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Sip.Messages;
using Trunk.Sip.Transport;

namespace Trunk.Signaling.Tracing;

/// <summary>
/// The SIP messages of one call not yet published; drained once the oldest has waited <see cref="SipTraceFlusher.MaxWait"/>
/// and at the end of the call. A message is written in its wire form (UTF-8) straight into chunks from the
/// <see cref="TraceChunkPool"/>, after a <see cref="CapturedMessage"/> header saying when and between which end points it
/// went, and is written from there into the JSON of its batch when the batch is published (<see cref="TracedMessages"/>):
/// what a call keeps while it lasts, and a batch while it waits for its turn, is pooled bytes the GC neither copies nor
/// scans, and no text is made of them. Between drains a call holds no chunk. The buffer is the messages'
/// <see cref="IBufferWriter{T}"/> (explicitly, for <see cref="SipMessage.WriteTo"/>): a message and its header always lie in
/// one chunk, and one larger than a chunk gets an array of its own.
/// </summary>
internal sealed class SipTraceBuffer(TraceChunkPool pool) : IBufferWriter<byte>
{
    private readonly object _gate = new();
    private readonly List<TraceChunk> _filled = new(1);
    private DateTimeOffset _oldest;

    /// <summary>The chunk being written into; null when no message waits.</summary>
    private byte[]? _chunk;
    private int _start;
    private int _position;

    public void Add(DateTimeOffset at, LegSide leg, SipDirection direction, SipTransportProtocol transport, IPEndPoint local, IPEndPoint remote,
        SipMessage message)
    {
        lock (_gate)
        {
            if (_chunk is null)
            {
                _oldest = at;
            }

            _start = _position;
            Room(CapturedMessage.Size);
            _position += CapturedMessage.Size;
            message.WriteTo(this);
            var length = _position - _start - CapturedMessage.Size;
            CapturedMessage.Write(_chunk.AsSpan(_start, CapturedMessage.Size), at, leg, direction, transport, local, remote, length);
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
            if (_chunk is null || _oldest > cutoff)
            {
                return null;
            }

            _filled.Add(new TraceChunk(_chunk, _position));
            var drained = new TracedMessages([.. _filled], pool);
            _filled.Clear();
            _chunk = null;
            _start = _position = 0;
            return drained;
        }
    }

    void IBufferWriter<byte>.Advance(int count) => _position += count;

    Memory<byte> IBufferWriter<byte>.GetMemory(int sizeHint) => Room(sizeHint).AsMemory(_position);

    Span<byte> IBufferWriter<byte>.GetSpan(int sizeHint) => Room(sizeHint).AsSpan(_position);

    /// <summary>
    /// The chunk with at least <paramref name="sizeHint"/> bytes free after the message being written (from
    /// <see cref="_start"/>, its header included), which moves to a new chunk when the current one lacks the room.
    /// </summary>
    private byte[] Room(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_chunk is not null && _chunk.Length - _position >= sizeHint)
        {
            return _chunk;
        }

        var written = _position - _start;
        var next = written + sizeHint <= pool.ChunkSize ? pool.Rent() : new byte[written + sizeHint];
        if (_chunk is not null)
        {
            _chunk.AsSpan(_start, written).CopyTo(next);
            if (_start > 0)
            {
                _filled.Add(new TraceChunk(_chunk, _start));
            }
            else
            {
                pool.Return(_chunk);
            }
        }

        _chunk = next;
        _start = 0;
        _position = written;
        return next;
    }
}

/// <summary>A chunk of captured messages, each a <see cref="CapturedMessage"/> header and its wire form, in its first <see cref="Used"/> bytes.</summary>
internal readonly record struct TraceChunk(byte[] Bytes, int Used);
