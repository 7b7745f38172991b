using MassTransit;
using Trunk.Contracts.Calls;

namespace Trunk.Transfer.Saga;

/// <summary>
/// Acknowledges a leg's hang-up on the saga's queues. The saga follows the call's end (<see cref="CallEnded"/>), not
/// its legs', so <see cref="LegHungUp"/> is not routed to it; a broker set up by a build that routed it still delivers
/// some, and they must neither reach the saga nor end in the queue's <c>_skipped</c> queue. Connected without binding
/// anything to the queue.
/// </summary>
public sealed class HangUpsAcknowledged : IConsumer<LegHungUp>
{
    public Task Consume(ConsumeContext<LegHungUp> context) => Task.CompletedTask;

    /// <summary>Connects it to a saga queue without binding the message type's exchange.</summary>
    public static void ConnectTo(IReceiveEndpointConfigurator endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        endpoint.ConfigureMessageTopology<LegHungUp>(false);
        endpoint.Consumer<HangUpsAcknowledged>();
    }
}
