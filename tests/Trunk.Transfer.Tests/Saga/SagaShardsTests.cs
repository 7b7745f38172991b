using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Trunk.Contracts.Calls;
using Trunk.Contracts.Policy;
using Trunk.Contracts.Transfers;
using Trunk.Testing;
using Trunk.Transfer.Saga;

namespace Trunk.Transfer.Tests.Saga;

/// <summary>The saga's messages spread over shard queues by call id: each call always on one shard, every event forwarded.</summary>
[Collection(TransferHostCollection.Name)]
public sealed class SagaShardsTests(TransferHostFixture fixture)
{
    [Fact]
    public void When_a_call_id_is_sharded_twice_Should_land_on_the_same_shard_and_spread_calls_over_all_shards()
    {
        var calls = Enumerable.Range(0, 400).Select(_ => NewId.NextGuid()).ToList();

        Assert.All(calls, call => Assert.Equal(SagaShards.ShardOf(call, 4), SagaShards.ShardOf(new Guid(call.ToString()), 4)));
        var perShard = calls.GroupBy(call => SagaShards.ShardOf(call, 4)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([0, 1, 2, 3], perShard.Keys.Order());
        Assert.All(perShard.Values, count => Assert.InRange(count, 50, 150));
    }

    /// <summary>
    /// With several Transfer instances (the Kubernetes base runs two or more) each queue of the saga must have one reader
    /// at a time, or two forwarders would take a call's events turn about and could forward them out of order: RabbitMQ
    /// refuses to declare such a queue again without its single-active-consumer argument.
    /// </summary>
    [Theory]
    [InlineData(SagaShards.Queue)]
    [InlineData("transfer-state-0")]
    [InlineData("transfer-state-3")]
    public async Task When_the_saga_runs_Should_declare_its_queues_for_a_single_active_consumer(string queue)
    {
        await using var connection = await TestInfrastructure.RabbitConnectionFactory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();

        var refused = await Assert.ThrowsAsync<OperationInterruptedException>(
            () => channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: null));

        Assert.NotNull(refused.ShutdownReason);
        Assert.Equal((ushort)406, refused.ShutdownReason.ReplyCode);
        Assert.Contains("x-single-active-consumer", refused.ShutdownReason.ReplyText, StringComparison.Ordinal);
    }

    [Fact]
    public void When_sharded_Should_address_each_calls_shard_exchange_and_unsharded_the_one_queues_exchange()
    {
        var call = NewId.NextGuid();

        Assert.Equal($"exchange:transfer-state-{SagaShards.ShardOf(call, 4)}", new SagaShards(4).AddressOf(call));
        Assert.Equal("exchange:transfer-state", new SagaShards(1).AddressOf(call));
    }

    [Fact]
    public void When_the_saga_queue_is_forwarded_Should_forward_every_event_the_state_machine_consumes()
    {
        var machine = fixture.Host.Services.GetRequiredService<TransferStateMachine>();

        var types = SagaShardEndpoints.EventTypes(machine);

        Assert.Superset(
            new HashSet<Type>
            {
                typeof(ReferReceived), typeof(TransferAllowed), typeof(TransferDenied), typeof(FundsReserved), typeof(InsufficientFunds),
                typeof(TargetRinging), typeof(TargetAnswered), typeof(TargetFailed), typeof(CallBridged), typeof(ReferRejected),
                typeof(LegHungUp), typeof(CallEnded), typeof(PolicyDeadlineElapsed), typeof(RingTimeoutElapsed),
            },
            types.ToHashSet());
        Assert.Equal(types.Where(t => t != typeof(FundsReserved)), SagaShardEndpoints.ForwardedTypes(machine));
    }
}
