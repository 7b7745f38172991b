using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;
using Trunk.Contracts;

namespace Trunk.CallHistory.Recording;

/// <summary>
/// Reads the JSON envelope MassTransit publishes (<c>application/vnd.masstransit+json</c>) straight from a RabbitMQ
/// delivery's body, in one pass: the ids, the first message type, the publisher's trace context and the message itself,
/// deserialised with MassTransit's own options into the concrete call event. No wire change for any publisher.
/// </summary>
internal static class CallEventEnvelope
{
    /// <summary>The header that carries the sender's W3C trace context in MassTransit's envelope and transport headers.</summary>
    public const string ActivityIdHeader = "MT-Activity-Id";

    private static readonly FrozenDictionary<string, Type> Types =
        CallEventTypes.All.ToFrozenDictionary(t => MessageUrn.ForTypeString(t), t => t, StringComparer.Ordinal);

    /// <summary>
    /// The delivery as a <see cref="PendingCallEvent"/>; <paramref name="transportTraceParent"/> is the transport header's
    /// trace context, if any (it wins over the envelope's); <paramref name="sentTime"/> is the sender's <c>sentTime</c> (UTC).
    /// Throws <see cref="InvalidDataException"/> for a body that is not a call event's envelope.
    /// </summary>
    public static PendingCallEvent Read(ReadOnlySpan<byte> body, string? transportTraceParent, out DateTime? sentTime)
    {
        sentTime = null;
        var reader = new Utf8JsonReader(body);
        Guid? messageId = null, correlationId = null, conversationId = null, initiatorId = null;
        Type? type = null;
        string? firstType = null;
        string? traceParent = null;
        var message = ReadOnlySpan<byte>.Empty;
        try
        {
            Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject, "not a JSON object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("messageId"u8))
                {
                    messageId = ReadGuid(ref reader);
                }
                else if (reader.ValueTextEquals("correlationId"u8))
                {
                    correlationId = ReadGuid(ref reader);
                }
                else if (reader.ValueTextEquals("conversationId"u8))
                {
                    conversationId = ReadGuid(ref reader);
                }
                else if (reader.ValueTextEquals("initiatorId"u8))
                {
                    initiatorId = ReadGuid(ref reader);
                }
                else if (reader.ValueTextEquals("messageType"u8))
                {
                    Expect(reader.Read() && reader.TokenType == JsonTokenType.StartArray, "messageType is not an array");
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (firstType is null && reader.TokenType == JsonTokenType.String)
                        {
                            firstType = reader.GetString();
                        }

                        reader.Skip();
                    }

                    type = firstType is not null && Types.TryGetValue(firstType, out var known) ? known : null;
                }
                else if (reader.ValueTextEquals("message"u8))
                {
                    reader.Read();
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    message = body[start..(int)reader.BytesConsumed];
                }
                else if (reader.ValueTextEquals("sentTime"u8))
                {
                    reader.Read();
                    sentTime = reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var sent) ? sent.UtcDateTime : null;
                }
                else if (reader.ValueTextEquals("headers"u8))
                {
                    traceParent = ReadTraceParent(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"The delivery is not a MassTransit JSON envelope: {e.Message}", e);
        }

        Expect(messageId is not null, "no messageId");
        Expect(type is not null, $"'{firstType ?? "no messageType"}' is not a call event type of this version");
        Expect(!message.IsEmpty, "no message");
        ICallEvent callEvent;
        try
        {
            callEvent = JsonSerializer.Deserialize(message, type!, SystemTextJsonMessageSerializer.Options) as ICallEvent
                ?? throw new InvalidDataException("The message is null.");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw new InvalidDataException($"The {type!.Name} in the envelope cannot be read: {e.Message}", e);
        }

        return new PendingCallEvent(
            messageId!.Value,
            callEvent,
            (correlationId ?? conversationId)?.ToString(),
            initiatorId?.ToString(),
            transportTraceParent ?? traceParent);
    }

    /// <summary>A transport header's value as text (RabbitMQ.Client hands strings over as bytes).</summary>
    public static string? HeaderText(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value)
            ? value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                string text => text,
                _ => null,
            }
            : null;

    private static Guid? ReadGuid(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Null ? null : reader.GetGuid();
    }

    /// <summary>The <c>traceparent</c> (or MassTransit's <c>MT-Activity-Id</c>) of the envelope's headers object.</summary>
    private static string? ReadTraceParent(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        string? traceParent = null, activityId = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isTraceParent = reader.ValueTextEquals(CallEventBatch.TraceParentHeader);
            var isActivityId = reader.ValueTextEquals(ActivityIdHeader);
            reader.Read();
            if (reader.TokenType == JsonTokenType.String && isTraceParent)
            {
                traceParent = reader.GetString();
            }
            else if (reader.TokenType == JsonTokenType.String && isActivityId)
            {
                activityId = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        return traceParent ?? activityId;
    }

    private static void Expect(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InvalidDataException($"The delivery is not a call event's MassTransit envelope: {problem}.");
        }
    }
}
