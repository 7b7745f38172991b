using MassTransit;
using Trunk.Contracts;

namespace Trunk.ServiceDefaults.Messaging;

/// <summary>
/// Every message about a call (<see cref="ICallMessage"/>) leaves with the call id as its RabbitMQ routing key, sent or
/// published. The exchanges of message types are fanouts and ignore it; a consistent-hash exchange bound behind them
/// hashes it, so that all of a call's messages reach the same one of several queues, in the order they were confirmed
/// (Transfer's saga shards use this; a subscriber can spread its own work the same way). A key set by the sender
/// (redelivery through a delay queue sets the queue's name) is kept.
/// </summary>
public static class CallRoutingKey
{
    public static string Of(Guid callId) => callId.ToString("N");

    public static void Stamp(SendContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context is SendContext<ICallMessage> call && string.IsNullOrEmpty(context.RoutingKey()))
        {
            context.TrySetRoutingKey(Of(call.Message.CallId));
        }
    }
}
