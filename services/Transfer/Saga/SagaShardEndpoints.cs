using System.Reflection;
using MassTransit;
using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Contracts.Policy;

namespace Trunk.Transfer.Saga;

/// <summary>
/// Connects the sharded saga's endpoints once the bus runs (<see cref="SagaShards"/>): one queue per shard, where the
/// saga takes one message at a time, and <see cref="SagaShards.Queue"/>, bound to every event of the state machine,
/// whose one reader forwards each message (its id and headers kept, so the inbox still recognises a redelivery) to its
/// call's shard. Shard queues have a single active consumer: with several Transfer instances one of them reads a
/// shard at a time and another takes over when it stops, so a call's order survives scaling out.
/// </summary>
public sealed partial class SagaShardEndpoints(
    IReceiveEndpointConnector connector,
    IBus bus,
    SagaShards shards,
    TransferStateMachine machine,
    ILogger<SagaShardEndpoints> logger) : IHostedService
{
    private static readonly MethodInfo ForwardMethod =
        typeof(SagaShardEndpoints).GetMethod(nameof(ForwardEvent), BindingFlags.Instance | BindingFlags.NonPublic)!;

    private readonly List<HostReceiveEndpointHandle> _handles = [];

    /// <summary>Connects the endpoints without waiting for the broker: while it is away the bus reports not ready, as it does for every endpoint.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        for (var shard = 0; shard < shards.Count; shard++)
        {
            _handles.Add(connector.ConnectReceiveEndpoint(SagaShards.ShardQueue(shard), (context, endpoint) =>
            {
                endpoint.ConfigureConsumeTopology = false;
                endpoint.ConcurrentMessageLimit = 1;
                SagaShards.OneReader(endpoint);

                endpoint.ConfigureSaga<TransferState>(context);
            }));
        }

        _handles.Add(connector.ConnectReceiveEndpoint(SagaShards.Queue, (_, endpoint) =>
        {
            // One message at a time, and one reader across instances: MassTransit hands RabbitMQ's deliveries to
            // concurrent tasks, and two instances would each take every other message, so either way a call's
            // TargetRinging and TargetAnswered, published a millisecond apart, could be forwarded in either order.
            endpoint.ConcurrentMessageLimit = 1;
            SagaShards.OneReader(endpoint);
            foreach (var type in ForwardedTypes(machine))
            {
                ForwardMethod.MakeGenericMethod(type).Invoke(this, [endpoint]);
            }
        }));

        LogConnected(shards.Count);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var handle in _handles)
        {
            await handle.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The message type of every event the state machine consumes (Signaling's, Policy's, the timeouts).</summary>
    public static IReadOnlyList<Type> EventTypes(TransferStateMachine machine)
    {
        ArgumentNullException.ThrowIfNull(machine);
        return [.. machine.Events
            .Select(e => e.GetType().GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(Event<>)))
            .OfType<Type>()
            .Select(i => i.GetGenericArguments()[0])
            .Distinct()];
    }

    /// <summary>
    /// What the forwarder takes: every event of the state machine but <see cref="FundsReserved"/>. Policy answers the
    /// saga's requests at the shard (their response address); its FundsReserved event is for the subscribers (CallHistory,
    /// Webhooks), and forwarded it would give the saga every reservation twice.
    /// </summary>
    public static IReadOnlyList<Type> ForwardedTypes(TransferStateMachine machine) => [.. EventTypes(machine).Where(t => t != typeof(FundsReserved))];

    private void ForwardEvent<T>(IReceiveEndpointConfigurator endpoint)
        where T : class =>
        endpoint.Handler<T>(async context =>
        {
            // The saga acts on the caller's hang-up only (the endpoint's after a 202 must not stop the transfer, the
            // target's follows the saga's own commands): the others would cost a shard a look-up by call id for nothing.
            if (context.Message is LegHungUp { Leg: not LegSide.Caller })
            {
                return;
            }

            var callId = context.Message is ICallMessage message ? message.CallId : Guid.Empty;
            var target = await bus.GetSendEndpoint(new Uri(shards.AddressOf(callId))).ConfigureAwait(false);
            await context.Forward(target).ConfigureAwait(false);
        });

    [LoggerMessage(Level = LogLevel.Information, Message = "Transfer saga sharded over {Shards} queues by call id")]
    private partial void LogConnected(int shards);
}
