using System.Diagnostics;
using MassTransit;
using Trunk.Contracts;

namespace Trunk.CallHistory.Recording;

/// <summary>
/// The bus's consumer of the retry queue (<see cref="CallEventQueue.RetryQueue"/>): the events
/// <see cref="CallEventQueue"/> could not store come here, with MassTransit's immediate retries, delayed redelivery and
/// error queue around each. Hands one call event to <see cref="CallEventWriter"/>, which appends it to the call's stream (stream id = CallId)
/// once per MassTransit MessageId, with the message's correlation and causation ids and its W3C trace context in the
/// event's metadata, together with the other messages consumed meanwhile. The consumer returns, and the message is
/// acknowledged, only after that transaction committed. The call's summary is folded in the same transaction, so a
/// projection error fails the message (retried, then moved to the error queue), never skipped.
/// </summary>
public sealed partial class CallEventConsumer<TEvent>(
    CallEventWriter writer,
    ILogger<CallEventConsumer<TEvent>> logger) : IConsumer<TEvent>
    where TEvent : class, ICallEvent
{
    public async Task Consume(ConsumeContext<TEvent> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var messageId = context.MessageId ?? throw new InvalidOperationException($"A {typeof(TEvent).Name} arrived without a MessageId.");
        var callEvent = context.Message;

        // Handed over before the first await: the writer keeps each call's events in the order they reach it.
        var appended = writer.AppendAsync(new PendingCallEvent(
            messageId,
            callEvent,
            (context.CorrelationId ?? context.ConversationId)?.ToString(),
            context.InitiatorId?.ToString(),
            TraceParent(context)));
        if (await appended.WaitAsync(context.CancellationToken).ConfigureAwait(false))
        {
            LogRecorded(callEvent.CallId, typeof(TEvent).Name, messageId);
        }
        else
        {
            LogDuplicate(callEvent.CallId, typeof(TEvent).Name, messageId);
        }
    }

    /// <summary>The publisher's W3C trace context: the <c>traceparent</c> header when the transport carried one, else the consume activity's parent.</summary>
    private static string? TraceParent(ConsumeContext context) =>
        context.Headers.Get<string>(CallEventBatch.TraceParentHeader)
        ?? Activity.Current?.ParentId
        ?? Activity.Current?.Id;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Recorded {EventType} of call {CallId} (message {MessageId})")]
    private partial void LogRecorded(Guid callId, string eventType, Guid messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored a redelivered {EventType} of call {CallId} (message {MessageId})")]
    private partial void LogDuplicate(Guid callId, string eventType, Guid messageId);
}
