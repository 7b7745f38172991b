using System.Collections.Concurrent;
using MassTransit;

namespace Trunk.Testing.Messaging;

/// <summary>
/// A bus of the test's own on the real RabbitMQ with one auto-deleted queue bound to <typeparamref name="T"/>'s exchange:
/// collects what the system under test publishes of <typeparamref name="T"/>.
/// </summary>
public sealed class MessageListener<T> : IAsyncDisposable
    where T : class
{
    private readonly ConcurrentQueue<T> _received = new();
    private readonly IBusControl _bus;

    private MessageListener(string queue) =>
        _bus = TestBus.WithQueue(queue, endpoint => endpoint.Handler<T>(context =>
        {
            _received.Enqueue(context.Message);
            return Task.CompletedTask;
        }));

    /// <summary>The listener's bus, for a test that publishes through it.</summary>
    public IBus ListenerBus => _bus;

    /// <summary>Every message received so far, in arrival order.</summary>
    public IReadOnlyCollection<T> Received => _received;

    public static async Task<MessageListener<T>> StartAsync(string queue)
    {
        var listener = new MessageListener<T>(queue);
        await listener._bus.StartAsync();
        return listener;
    }

    /// <summary>The first <paramref name="count"/> messages that match, in arrival order, once that many have come (10 s at most).</summary>
    public async Task<IReadOnlyList<T>> WaitForAsync(Func<T, bool> match, int count)
    {
        ArgumentNullException.ThrowIfNull(match);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var matching = _received.Where(match).ToList();
            if (matching.Count >= count)
            {
                return matching;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Fewer than {count} {typeof(T).Name} came in 10 s ({_received.Count(match)} did).");
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}
