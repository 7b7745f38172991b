using System.Diagnostics;
using System.Collections.Concurrent;
using Trunk.Contracts;
using Trunk.Media.Relay;

namespace Trunk.Media.Tests.Support;

/// <summary>Keeps what the relay published, for the test to wait on.</summary>
internal sealed class RecordingSink : IMediaEventSink
{
    private readonly ConcurrentQueue<ICallEvent> _events = new();

    public void Publish(ICallEvent callEvent, ActivityContext trace) => _events.Enqueue(callEvent);

    public async Task<T> WaitFor<T>(Func<T, bool> match, TimeSpan timeout)
        where T : ICallEvent
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_events.OfType<T>().FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"No {typeof(T).Name} arrived; got: {string.Join(", ", _events.Select(e => e.GetType().Name))}");
    }

    public IReadOnlyList<T> All<T>() => [.. _events.OfType<T>()];
}
