using System.Collections.Concurrent;
using MassTransit;
using MassTransit.Transports;

namespace Trunk.Signaling.Events;

/// <summary>
/// Publishes a message as its own type through the send endpoint of that type's exchange, fetched from the bus once per
/// type. That is what <see cref="IPublishEndpoint.Publish(object, Type, IPipe{PublishContext}, CancellationToken)"/>
/// does on every call, where it also looks up a converter by type and the endpoint in MassTransit's cache (a closure, a
/// factory and a task a publish). The message, its envelope and its headers are the same. Using the endpoint keeps it in
/// MassTransit's cache.
/// </summary>
internal sealed class PublishEndpoints(IBus bus)
{
    private readonly ConcurrentDictionary<Type, ITypedPublisher> _byType = new();

    public Task Publish(object message, IPipe<PublishContext> pipe) =>
        _byType.GetOrAdd(message.GetType(), static (type, bus) =>
            (ITypedPublisher)Activator.CreateInstance(typeof(TypedPublisher<>).MakeGenericType(type), bus)!, bus).Publish(message, pipe);

    private interface ITypedPublisher
    {
        Task Publish(object message, IPipe<PublishContext> pipe);
    }

    private sealed class TypedPublisher<T>(IBus bus) : ITypedPublisher
        where T : class
    {
        private ISendEndpoint? _endpoint;

        public Task Publish(object message, IPipe<PublishContext> pipe) =>
            _endpoint is { } endpoint ? Send(endpoint, (T)message, pipe) : FirstAsync((T)message, pipe);

        private static Task Send(ISendEndpoint endpoint, T message, IPipe<PublishContext> pipe) =>
            endpoint.Send(message, new PublishSendPipeAdapter<T>(pipe));

        private async Task FirstAsync(T message, IPipe<PublishContext> pipe)
        {
            _endpoint = await bus.GetPublishSendEndpoint<T>().ConfigureAwait(false);
            await Send(_endpoint, message, pipe).ConfigureAwait(false);
        }
    }
}
