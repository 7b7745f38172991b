using MassTransit;

namespace Trunk.Transfer.Saga;

/// <summary>
/// The saga's queues. A call's messages must be handled one at a time and in the order they were queued (a target's
/// 180 and 200 arrive back to back: handled side by side, even behind a per-call partitioner, the 200 could win as
/// delivery tasks race, and the NOTIFY 180 was lost). With one shard the saga consumes <see cref="Queue"/> itself, one
/// message at a time. With <see cref="Count"/> &gt; 1 every message for the saga goes to <see cref="Exchange"/>,
/// RabbitMQ's consistent-hash exchange, which hashes the message's routing key (the call id: <c>CallRoutingKey</c>) to
/// one of the shard queues bound to it; each shard queue is consumed one message at a time
/// (<see cref="SagaShardEndpoints"/>). The events others publish reach it through their message types' exchanges
/// (<see cref="SagaRouting"/>), Policy's responses and due timeouts are sent to it, so a call's messages all land on
/// one shard, in the order they were confirmed, and calls on different shards are handled side by side. Every one of
/// these queues has a single active consumer (<see cref="OneReader"/>), so that several Transfer instances keep the
/// order too.
/// </summary>
public sealed class SagaShards(int count)
{
    public const string Queue = "transfer-state";

    /// <summary>The consistent-hash exchange in front of the shard queues (plugin <c>rabbitmq_consistent_hash_exchange</c>).</summary>
    public const string Exchange = "transfer-state-by-call";

    public const string ExchangeType = "x-consistent-hash";

    /// <summary>The most shards <c>Transfer:SagaShards</c> may ask for.</summary>
    public const int MaxCount = 64;

    /// <summary>Each shard queue's weight on the hash ring: equal shares.</summary>
    public const string ShardWeight = "1";

    public int Count { get; } = count;

    public bool Sharded => Count > 1;

    /// <summary>
    /// Where messages for the saga are sent (Policy's responses, due timeouts). A saga queue is declared only by its
    /// receive endpoint (single active consumer): senders address an exchange, so they never declare the queue with
    /// other arguments.
    /// </summary>
    public string Address => Sharded ? $"exchange:{Exchange}?type={ExchangeType}" : $"exchange:{Queue}";

    public static string ShardQueue(int shard) => $"{Queue}-{shard}";

    /// <summary>
    /// Makes a queue of the saga's single active consumer: with several Transfer instances one reads it at a time and
    /// another takes over when it stops, so that the queue's order is the order its messages are handled in.
    /// </summary>
    public static void OneReader(IReceiveEndpointConfigurator endpoint)
    {
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.SingleActiveConsumer = true;
        }
    }
}
