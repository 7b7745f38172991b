using MassTransit;
using Trunk.Contracts;

namespace Trunk.Signaling.Tests.Support;

/// <summary>Keeps every call event of one type in its call's log (registered once per event type of the contracts).</summary>
internal sealed class EventRecorder<TEvent>(TrunkWorld world) : IConsumer<TEvent>
    where TEvent : class, ICallEvent
{
    public static IEnumerable<Type> ForAllEvents() =>
        typeof(ICallEvent).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICallEvent).IsAssignableFrom(t))
            .Select(t => typeof(EventRecorder<>).MakeGenericType(t));

    public Task Consume(ConsumeContext<TEvent> context)
    {
        world.Log(context.Message.CallId)?.Add(context.Message);
        return Task.CompletedTask;
    }
}
