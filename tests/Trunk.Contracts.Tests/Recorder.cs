using System.Collections.Concurrent;
using MassTransit;

namespace Trunk.Contracts.Tests;

/// <summary>Keeps what the consumers received, by CallId and by the type the consumer asked for.</summary>
internal sealed class Recorder
{
    private readonly ConcurrentDictionary<(Guid CallId, Type ConsumedAs), TaskCompletionSource<object>> _received = new();

    public Task<object> Received(Guid callId, Type consumedAs) =>
        Slot(callId, consumedAs).Task.WaitAsync(TimeSpan.FromSeconds(15));

    public void Record(Guid callId, Type consumedAs, object message) => Slot(callId, consumedAs).TrySetResult(message);

    private TaskCompletionSource<object> Slot(Guid callId, Type consumedAs) =>
        _received.GetOrAdd((callId, consumedAs), _ => new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously));
}

/// <summary>Records every <typeparamref name="TMessage"/> it consumes.</summary>
internal sealed class RecordingConsumer<TMessage>(Recorder recorder) : IConsumer<TMessage>
    where TMessage : class, ICallMessage
{
    public Task Consume(ConsumeContext<TMessage> context)
    {
        recorder.Record(context.Message.CallId, typeof(TMessage), context.Message);
        return Task.CompletedTask;
    }
}
