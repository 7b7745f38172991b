using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using MassTransit.Serialization;
using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Sip.Transport;

namespace Trunk.Signaling.Tracing;

/// <summary>
/// SIP messages drained from a call's <see cref="SipTraceBuffer"/>: their wire forms in the pooled chunks they were
/// written into, each after the header saying what it crossed the wire between (<see cref="CapturedMessage"/>). Written
/// once, as the JSON array of <see cref="TracedSipMessage"/> that MassTransit's serializer would write; the chunks go back
/// to the pool then.
/// </summary>
internal sealed class TracedMessages
{
    private static readonly JsonEncodedText AtName = SipTraceBatch.Name(nameof(TracedSipMessage.At));
    private static readonly JsonEncodedText LegName = SipTraceBatch.Name(nameof(TracedSipMessage.Leg));
    private static readonly JsonEncodedText DirectionName = SipTraceBatch.Name(nameof(TracedSipMessage.Direction));
    private static readonly JsonEncodedText TransportName = SipTraceBatch.Name(nameof(TracedSipMessage.Transport));
    private static readonly JsonEncodedText LocalAddressName = SipTraceBatch.Name(nameof(TracedSipMessage.LocalAddress));
    private static readonly JsonEncodedText RemoteAddressName = SipTraceBatch.Name(nameof(TracedSipMessage.RemoteAddress));
    private static readonly JsonEncodedText RawName = SipTraceBatch.Name(nameof(TracedSipMessage.Raw));

    private readonly TraceChunk[] _chunks;
    private readonly TraceChunkPool _pool;
    private int _written;

    public TracedMessages(TraceChunk[] chunks, TraceChunkPool pool)
    {
        _chunks = chunks;
        _pool = pool;
    }

    /// <summary>Writes the messages as a JSON array, once, and gives their chunks back to the pool.</summary>
    public void WriteTo(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (Interlocked.Exchange(ref _written, 1) != 0)
        {
            throw new InvalidOperationException("The traced messages were written already; their chunks are back in the pool.");
        }

        try
        {
            json.WriteStartArray();
            foreach (var chunk in _chunks)
            {
                for (var at = 0; at < chunk.Used;)
                {
                    var header = chunk.Bytes.AsSpan(at, CapturedMessage.Size);
                    var message = CapturedMessage.Read(header);
                    WriteMessage(json, message, header, chunk.Bytes.AsSpan(at + CapturedMessage.Size, message.Length));
                    at += CapturedMessage.Size + message.Length;
                }
            }

            json.WriteEndArray();
        }
        finally
        {
            foreach (var chunk in _chunks)
            {
                _pool.Return(chunk.Bytes);
            }
        }
    }

    private static void WriteMessage(Utf8JsonWriter json, CapturedMessage m, ReadOnlySpan<byte> header, ReadOnlySpan<byte> wire)
    {
        Span<byte> endPoint = stackalloc byte[CapturedMessage.MaxEndPointText];
        json.WriteStartObject();
        json.WritePropertyName(AtName);
        JsonSerializer.Serialize(json, m.At, SystemTextJsonMessageSerializer.Options);
        json.WritePropertyName(LegName);
        JsonSerializer.Serialize(json, m.Leg, SystemTextJsonMessageSerializer.Options);
        json.WritePropertyName(DirectionName);
        JsonSerializer.Serialize(json, m.Direction, SystemTextJsonMessageSerializer.Options);
        json.WriteString(TransportName, m.Transport.ToViaToken());
        json.WriteString(LocalAddressName, CapturedMessage.EndPointText(header, remote: false, endPoint));
        json.WriteString(RemoteAddressName, CapturedMessage.EndPointText(header, remote: true, endPoint));
        json.WritePropertyName(RawName);
        WriteRaw(json, wire);
        json.WriteEndObject();
    }

    /// <summary>
    /// The wire form as a JSON string, straight from its UTF-8 bytes. A NUL byte (a binary body such as ISUP in SIP-I, or
    /// a malformed message) becomes U+2400 (␀): JSON can carry U+0000, but PostgreSQL's jsonb, where CallHistory and many
    /// subscribers keep events, refuses it, and the whole batch would be lost with it. Bytes that are not UTF-8 become
    /// U+FFFD, as decoding them to text does.
    /// </summary>
    private static void WriteRaw(Utf8JsonWriter json, ReadOnlySpan<byte> wire)
    {
        if (!wire.Contains((byte)0) && Utf8.IsValid(wire))
        {
            json.WriteStringValue(wire);
            return;
        }

        json.WriteStringValue(Encoding.UTF8.GetString(wire).Replace('\0', '\u2400'));
    }
}
