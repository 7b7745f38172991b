using System.Buffers;
using System.Text.Json;
using MassTransit;
using MassTransit.Metadata;
using MassTransit.Serialization;

namespace Trunk.Signaling.Events;

/// <summary>
/// Writes a message in MassTransit's JSON envelope (<c>application/vnd.masstransit+json</c>), as its
/// <see cref="SystemTextJsonMessageSerializer"/> writes a publish: messageId, conversationId, sourceAddress,
/// destinationAddress, messageType, the message (with MassTransit's own serializer options, so every consumer reads the
/// same values), sentTime, the headers and the host. Fields MassTransit writes as null are left out; its deserializer and
/// CallHistory's envelope reader take them as absent. A message that writes itself (<see cref="ISelfWritingMessage"/>) does
/// so in the message's place. One writer a lane: the bytes are in a buffer it reuses, valid until
/// its next message.
/// </summary>
internal sealed class EnvelopeWriter
{
    public const string ContentType = "application/vnd.masstransit+json";

    /// <summary>The header that carries the sender's W3C trace context, where MassTransit's consumers look for it.</summary>
    public const string ActivityIdHeader = MassTransit.Logging.DiagnosticHeaders.ActivityId;

    private static readonly JsonEncodedText MessageIdName = JsonEncodedText.Encode("messageId");
    private static readonly JsonEncodedText ConversationIdName = JsonEncodedText.Encode("conversationId");
    private static readonly JsonEncodedText SourceAddressName = JsonEncodedText.Encode("sourceAddress");
    private static readonly JsonEncodedText DestinationAddressName = JsonEncodedText.Encode("destinationAddress");
    private static readonly JsonEncodedText MessageTypeName = JsonEncodedText.Encode("messageType");
    private static readonly JsonEncodedText MessageName = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText SentTimeName = JsonEncodedText.Encode("sentTime");
    private static readonly JsonEncodedText HeadersName = JsonEncodedText.Encode("headers");
    private static readonly JsonEncodedText HostName = JsonEncodedText.Encode("host");
    private static readonly JsonEncodedText ActivityIdName = JsonEncodedText.Encode(ActivityIdHeader);

    /// <summary>This process as MassTransit describes it in every envelope, written once.</summary>
    private static readonly byte[] Host = JsonSerializer.SerializeToUtf8Bytes(HostMetadataCache.Host, SystemTextJsonMessageSerializer.Options);

    private readonly JsonEncodedText _sourceAddress;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _json;

    /// <param name="sourceAddress">The envelope's <c>sourceAddress</c>: the bus's address, as MassTransit's publish gives it.</param>
    public EnvelopeWriter(Uri sourceAddress)
    {
        _sourceAddress = JsonEncodedText.Encode(sourceAddress.ToString());
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = SystemTextJsonMessageSerializer.Options.Encoder });
    }

    /// <summary>The envelope of <paramref name="message"/>, published at <paramref name="sentTime"/> under the trace context <paramref name="traceParent"/>.</summary>
    public ReadOnlyMemory<byte> Write(PublishedType type, object message, Guid messageId, Guid conversationId, DateTime sentTime, string? traceParent)
    {
        _buffer.ResetWrittenCount();
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteString(MessageIdName, messageId);
        _json.WriteString(ConversationIdName, conversationId);
        _json.WriteString(SourceAddressName, _sourceAddress);
        _json.WriteString(DestinationAddressName, type.DestinationAddress);
        _json.WritePropertyName(MessageTypeName);
        _json.WriteRawValue(type.MessageTypes, skipInputValidation: true);
        _json.WritePropertyName(MessageName);
        if (message is ISelfWritingMessage own)
        {
            own.WriteTo(_json);
        }
        else
        {
            JsonSerializer.Serialize(_json, message, type.Type, SystemTextJsonMessageSerializer.Options);
        }

        _json.WriteString(SentTimeName, sentTime);
        _json.WriteStartObject(HeadersName);
        if (traceParent is not null)
        {
            _json.WriteString(ActivityIdName, traceParent);
        }

        _json.WriteEndObject();
        _json.WritePropertyName(HostName);
        _json.WriteRawValue(Host, skipInputValidation: true);
        _json.WriteEndObject();
        _json.Flush();
        return _buffer.WrittenMemory;
    }
}
