using MassTransit;

namespace Trunk.Transfer.Saga;

/// <summary>
/// The saga's queues. A call's messages must be handled one at a time and in the order they were queued (a target's
/// 180 and 200 arrive back to back: handled side by side, even behind a per-call partitioner, the 200 could win as
/// delivery tasks race, and the NOTIFY 180 was lost). With one shard the saga consumes <see cref="Queue"/> itself, one
/// message at a time. With <see cref="Count"/> &gt; 1, <see cref="Queue"/> (still bound to every event the saga
/// consumes) is read one message at a time by <see cref="SagaShardEndpoints"/>, which forwards each message to the queue
/// of its call's shard; each shard queue is consumed one message at a time. One reader and FIFO queues keep a call's
/// order (every one of these queues has a single active consumer, <see cref="OneReader"/>, so that several Transfer
/// instances keep it too); calls on different shards are handled side by side. Policy's responses and due timeouts are sent to the
/// shard's queue directly (no forwarding hop).
/// </summary>
public sealed class SagaShards(int count)
{
    public const string Queue = "transfer-state";

    public int Count { get; } = count;

    public bool Sharded => Count > 1;

    /// <summary>
    /// Where a call's messages are sent for the saga. A saga queue is declared only by its receive endpoint (single
    /// active consumer): senders address the exchange of the same name bound to it, so they never declare the queue
    /// with other arguments.
    /// </summary>
    public string AddressOf(Guid callId) => Sharded ? $"exchange:{ShardQueue(ShardOf(callId, Count))}" : $"exchange:{Queue}";

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

    /// <summary>
    /// The same shard for a call id in every process: FNV-1a over the id's 16 bytes, modulo the count (ids made by
    /// NewId differ mostly in a few bytes, so folding the words would leave shards empty).
    /// </summary>
    public static int ShardOf(Guid callId, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Span<byte> bytes = stackalloc byte[16];
        callId.TryWriteBytes(bytes);
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)count);
    }
}
