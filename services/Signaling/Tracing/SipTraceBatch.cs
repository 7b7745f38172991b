using System.Text.Json;
using MassTransit.Serialization;
using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Signaling.Events;

namespace Trunk.Signaling.Tracing;

/// <summary>
/// A <see cref="SipMessagesTraced"/> whose messages are still the pooled bytes they were captured in
/// (<see cref="TracedMessages"/>): they become JSON in the envelope's buffer when the publisher reaches the batch, and
/// never strings. A batch waits in its lane for the confirms of the publishes before it; as text (~1 KB a message in
/// UTF-16) the batches waiting at any moment were about a third of what each collection copied (bench/results/b2bua.md).
/// </summary>
internal sealed class SipTraceBatch(Guid callId, DateTimeOffset at, string instance, TracedMessages messages) : ISelfWritingMessage, ICallEvent
{
    private static readonly JsonEncodedText CallIdName = Name(nameof(SipMessagesTraced.CallId));
    private static readonly JsonEncodedText AtName = Name(nameof(SipMessagesTraced.At));
    private static readonly JsonEncodedText InstanceName = Name(nameof(SipMessagesTraced.Instance));
    private static readonly JsonEncodedText MessagesName = Name(nameof(SipMessagesTraced.Messages));

    public Guid CallId { get; } = callId;

    public DateTimeOffset At { get; } = at;

    public string Instance { get; } = instance;

    public TracedMessages Messages { get; } = messages;

    public Type PublishedAs => typeof(SipMessagesTraced);

    public void WriteTo(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WritePropertyName(CallIdName);
        JsonSerializer.Serialize(json, CallId, SystemTextJsonMessageSerializer.Options);
        json.WritePropertyName(AtName);
        JsonSerializer.Serialize(json, At, SystemTextJsonMessageSerializer.Options);
        json.WriteString(InstanceName, Instance);
        json.WritePropertyName(MessagesName);
        Messages.WriteTo(json);
        json.WriteEndObject();
    }

    /// <summary>A contract property's name as MassTransit's serializer writes it.</summary>
    internal static JsonEncodedText Name(string property) =>
        JsonEncodedText.Encode(SystemTextJsonMessageSerializer.Options.PropertyNamingPolicy?.ConvertName(property) ?? property);
}
