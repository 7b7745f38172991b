using MassTransit;

namespace Trunk.ServiceDefaults.Messaging;

/// <summary>
/// Retry policy of every consumer. First five immediate retries with exponential back-off from 100 ms to 5 s, for
/// transient faults (a lost optimistic-concurrency race, a dropped database connection). A message that still
/// fails is then redelivered after each of the <see cref="RedeliverySettings"/> intervals (10 s, 1 min, 5 min by
/// default) through the broker's <see cref="DelayQueues"/>, each time with its immediate retries again, for
/// outages that last longer (a database restart). After the last interval MassTransit publishes a
/// <c>Fault&lt;T&gt;</c> and moves the message to the endpoint's <c>_error</c> queue, where nothing is lost and an
/// operator can move it back.
/// </summary>
internal static class MessageRetryDefaults
{
    public static void Apply(IBusFactoryConfigurator bus, DelayQueues delayQueues)
    {
        // Redelivery first: its filter wraps the immediate retries, so it sees a message only once they are spent.
        _ = new DelayQueueRedeliveryObserver(bus, delayQueues);
        bus.UseMessageRetry(retry =>
            retry.Exponential(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(300)));
    }
}
