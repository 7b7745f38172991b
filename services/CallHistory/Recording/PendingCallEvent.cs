using Trunk.Contracts;

namespace Trunk.CallHistory.Recording;

/// <summary>
/// One consumed bus message waiting for <see cref="CallEventWriter"/> to commit it: the event, the metadata it is stored
/// with, and the completion its consumer awaits before the message is acknowledged (true: stored; false: a redelivery
/// of a message already stored).
/// </summary>
public sealed class PendingCallEvent(Guid messageId, ICallEvent callEvent, string? correlationId, string? causationId, string? traceParent)
{
    private readonly TaskCompletionSource<bool> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Guid MessageId { get; } = messageId;

    public ICallEvent Event { get; } = callEvent;

    public Guid CallId => Event.CallId;

    public string? CorrelationId { get; } = correlationId;

    public string? CausationId { get; } = causationId;

    public string? TraceParent { get; } = traceParent;

    public Task<bool> Completion => _done.Task;

    internal void Stored(bool stored) => _done.TrySetResult(stored);

    internal void Failed(Exception exception) => _done.TrySetException(exception);
}
