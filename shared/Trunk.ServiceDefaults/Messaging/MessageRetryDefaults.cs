using MassTransit;

namespace Trunk.ServiceDefaults.Messaging;

/// <summary>
/// Retry policy of every consumer: a few quick retries for transient faults (a lost optimistic-concurrency race,
/// a dropped database connection), then exponential back-off; after the last try the message goes to the
/// endpoint's <c>_error</c> queue, where nothing is lost and an operator can move it back.
/// </summary>
internal static class MessageRetryDefaults
{
    public static void Apply(IBusFactoryConfigurator bus)
    {
        bus.UseMessageRetry(retry =>
        {
            retry.Immediate(2);
            retry.Exponential(4, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(400));
        });
    }
}
