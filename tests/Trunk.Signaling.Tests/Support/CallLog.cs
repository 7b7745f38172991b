using System.Collections.Concurrent;
using Trunk.Contracts;
using Trunk.Contracts.Calls;

namespace Trunk.Signaling.Tests.Support;

/// <summary>Everything Signaling published about one call (its events, and the funds request of a 202), as the test's bus received it.</summary>
internal sealed class CallLog(CallReceived received)
{
    private readonly ConcurrentQueue<ICallMessage> _events = new();

    public CallReceived Received { get; } = received;

    public IReadOnlyList<ICallMessage> Events => [.. _events];

    public void Add(ICallMessage message) => _events.Enqueue(message);

    public IReadOnlyList<T> All<T>() => [.. _events.OfType<T>()];

    public async Task<T> WaitForAsync<T>(Func<T, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (_events.OfType<T>().FirstOrDefault(e => match?.Invoke(e) ?? true) is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No {typeof(T).Name} for call {Received.CallId}; got: {string.Join(", ", _events.Select(e => e.GetType().Name))}");
    }
}
