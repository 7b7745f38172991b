using System.Diagnostics;
using JasperFx;
using Marten;
using MassTransit;
using Trunk.CallHistory.CallSummaries;
using Trunk.Contracts;

namespace Trunk.CallHistory.Recording;

/// <summary>
/// Appends one call event to the call's stream (stream id = CallId), once per MassTransit MessageId, with the
/// message's correlation and causation ids and its W3C trace context in the event's metadata. The inline
/// projections run in the same transaction, so a projection error fails the message (retried, then moved to the
/// error queue), never skipped.
/// </summary>
public sealed partial class CallEventConsumer<TEvent>(
    IDocumentStore store,
    TimeProvider time,
    ILogger<CallEventConsumer<TEvent>> logger) : IConsumer<TEvent>
    where TEvent : class, ICallEvent
{
    public const string MessageIdHeader = "message-id";
    public const string TraceParentHeader = "traceparent";

    public async Task Consume(ConsumeContext<TEvent> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var messageId = context.MessageId ?? throw new InvalidOperationException($"A {typeof(TEvent).Name} arrived without a MessageId.");
        var callEvent = context.Message;
        await using var session = store.LightweightSession();

        // One call's events are appended one at a time, so that the inline projections fold each of them: a transaction
        // lock on the call id also orders the first two events of a new call (there is no stream row to lock yet), which
        // would otherwise collide on the stream's insert and be retried; then the stream row is locked as before.
        await session.BeginTransactionAsync(context.CancellationToken).ConfigureAwait(false);
        await session.QueryAsync<int>("select 1 from pg_advisory_xact_lock(?)", context.CancellationToken, LockKey(callEvent.CallId))
            .ConfigureAwait(false);
        var stream = await session.Events.FetchForExclusiveWriting<CallSummary>(callEvent.CallId, context.CancellationToken)
            .ConfigureAwait(false);
        if (await session.LoadAsync<RecordedMessage>(messageId, context.CancellationToken).ConfigureAwait(false) is not null)
        {
            LogDuplicate(callEvent.CallId, typeof(TEvent).Name, messageId);
            return;
        }

        session.CorrelationId = (context.CorrelationId ?? context.ConversationId)?.ToString();
        session.CausationId = context.InitiatorId?.ToString();
        session.SetHeader(MessageIdHeader, messageId.ToString());
        if (TraceParent(context) is { } traceParent)
        {
            session.SetHeader(TraceParentHeader, traceParent);
        }

        session.Insert(new RecordedMessage(messageId, callEvent.CallId, typeof(TEvent).Name, time.GetUtcNow()));
        stream.AppendOne(callEvent);
        try
        {
            await session.SaveChangesAsync(context.CancellationToken).ConfigureAwait(false);
        }
        catch (DocumentAlreadyExistsException)
        {
            // The same message, delivered twice to the first event of a call at once, was stored by the other delivery.
            LogDuplicate(callEvent.CallId, typeof(TEvent).Name, messageId);
            return;
        }

        LogRecorded(callEvent.CallId, typeof(TEvent).Name, messageId);
    }

    /// <summary>A 64-bit advisory-lock key of the call id (its two halves folded).</summary>
    private static long LockKey(Guid callId)
    {
        Span<byte> bytes = stackalloc byte[16];
        callId.TryWriteBytes(bytes);
        return BitConverter.ToInt64(bytes[..8]) ^ BitConverter.ToInt64(bytes[8..]);
    }

    /// <summary>The publisher's W3C trace context: the <c>traceparent</c> header when the transport carried one, else the consume activity's parent.</summary>
    private static string? TraceParent(ConsumeContext context) =>
        context.Headers.Get<string>(TraceParentHeader)
        ?? Activity.Current?.ParentId
        ?? Activity.Current?.Id;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Recorded {EventType} of call {CallId} (message {MessageId})")]
    private partial void LogRecorded(Guid callId, string eventType, Guid messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored a redelivered {EventType} of call {CallId} (message {MessageId})")]
    private partial void LogDuplicate(Guid callId, string eventType, Guid messageId);
}
