using MassTransit;
namespace Trunk.Transfer.Saga;

/// <summary>
/// Connects the sharded saga's endpoints once the bus runs (<see cref="SagaShards"/>): one queue per shard, bound to the
/// consistent-hash exchange with an equal weight, where the saga takes one message at a time. Shard queues have a single
/// active consumer: with several Transfer instances one of them reads a shard at a time and another takes over when it
/// stops, so a call's order survives scaling out. Shard queues an earlier, larger count left bound to the exchange are
/// connected too once <see cref="SagaRouting"/> finds them (<see cref="ConnectMore"/>): the exchange keeps hashing calls
/// to them, so the saga reads them like its own. With one queue (<c>Transfer:SagaShards</c> = 1) none is connected at
/// start; <see cref="SagaRouting"/> connects the shard queues a sharded run left holding messages, until they are empty.
/// </summary>
public sealed partial class SagaShardEndpoints(
    IReceiveEndpointConnector connector,
    SagaShards shards,
    ILogger<SagaShardEndpoints> logger) : IHostedService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, HostReceiveEndpointHandle> _handles = [];

    /// <summary>Connects the endpoints without waiting for the broker: while it is away the bus reports not ready, as it does for every endpoint.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (shards.Sharded)
        {
            ConnectMore(shards.Count);
            LogConnected(shards.Count, SagaShards.Exchange);
        }

        return Task.CompletedTask;
    }

    /// <summary>Connects the shards 0 to <paramref name="count"/> − 1 not connected yet.</summary>
    public void ConnectMore(int count)
    {
        for (var shard = 0; shard < count; shard++)
        {
            Connect(shard);
        }
    }

    /// <summary>Reads one shard queue (once: a shard connected already stays as it is).</summary>
    public void Connect(int shard)
    {
        lock (_gate)
        {
            if (!_handles.ContainsKey(shard))
            {
                _handles.Add(shard, ConnectEndpoint(shard));
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        HostReceiveEndpointHandle[] handles;
        lock (_gate)
        {
            handles = [.. _handles.Values];
        }

        foreach (var handle in handles)
        {
            await handle.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private HostReceiveEndpointHandle ConnectEndpoint(int shard) =>
        connector.ConnectReceiveEndpoint(SagaShards.ShardQueue(shard), (context, endpoint) =>
            {
                endpoint.ConfigureConsumeTopology = false;
                endpoint.ConcurrentMessageLimit = 1;
                SagaShards.OneReader(endpoint);
                HangUpsAcknowledged.ConnectTo(endpoint);
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.Bind(SagaShards.Exchange, binding =>
                    {
                        binding.ExchangeType = SagaShards.ExchangeType;
                        binding.RoutingKey = SagaShards.ShardWeight;
                    });
                }

                endpoint.ConfigureSaga<TransferState>(context);
            });

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Transfer saga sharded over {Shards} queues by call id behind exchange {Exchange}")]
    private partial void LogConnected(int shards, string exchange);
}
