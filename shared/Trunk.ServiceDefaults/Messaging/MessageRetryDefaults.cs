using MassTransit;

namespace Trunk.ServiceDefaults.Messaging;

/// <summary>
/// Retry policy of every consumer: five retries with exponential back-off from 100 ms to 5 s, for transient
/// faults (a lost optimistic-concurrency race, a dropped database connection); after the last try MassTransit
/// publishes a <c>Fault&lt;T&gt;</c> and moves the message to the endpoint's <c>_error</c> queue, where nothing
/// is lost and an operator can move it back.
/// </summary>
internal static class MessageRetryDefaults
{
    public static void Apply(IBusFactoryConfigurator bus)
    {
        bus.UseMessageRetry(retry =>
            retry.Exponential(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(300)));
    }
}
