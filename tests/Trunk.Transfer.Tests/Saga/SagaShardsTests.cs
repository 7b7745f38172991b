using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Contracts.Policy;
using Trunk.Contracts.Transfers;
using Trunk.Testing;
using Trunk.Transfer.Saga;

namespace Trunk.Transfer.Tests.Saga;

/// <summary>The saga's messages spread over shard queues by call id behind a consistent-hash exchange, every event it consumes routed there.</summary>
[Collection(TransferHostCollection.Name)]
public sealed class SagaShardsTests(TransferHostFixture fixture)
{
    /// <summary>
    /// With several Transfer instances (the Kubernetes base runs two or more) each queue of the saga must have one reader
    /// at a time, or two readers would take a call's events turn about and could handle them out of order: RabbitMQ
    /// refuses to declare such a queue again without its single-active-consumer argument.
    /// </summary>
    [Theory]
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
    public void When_sharded_Should_address_the_consistent_hash_exchange_and_unsharded_the_one_queues_exchange()
    {
        Assert.Equal("exchange:transfer-state-by-call?type=x-consistent-hash", new SagaShards(4).Address);
        Assert.Equal("exchange:transfer-state", new SagaShards(1).Address);
    }

    [Fact]
    public void When_the_saga_is_sharded_Should_route_every_event_the_state_machine_consumes_and_no_legs_hang_up()
    {
        var machine = fixture.Host.Services.GetRequiredService<TransferStateMachine>();

        var types = SagaShardEndpoints.EventTypes(machine);

        Assert.Superset(
            new HashSet<Type>
            {
                typeof(ReferReceived), typeof(TransferAllowed), typeof(TransferDenied), typeof(FundsReserved), typeof(InsufficientFunds),
                typeof(TargetRinging), typeof(TargetAnswered), typeof(TargetFailed), typeof(CallBridged), typeof(ReferRejected),
                typeof(CallEnded), typeof(PolicyDeadlineElapsed), typeof(RingTimeoutElapsed), typeof(MaxCallDurationElapsed),
            },
            types.ToHashSet());
        Assert.DoesNotContain(typeof(LegHungUp), types);
    }

    [Fact]
    public async Task When_the_host_is_ready_Should_have_bound_each_routed_events_exchange_as_MassTransit_declares_it()
    {
        var routing = fixture.Host.Services.GetRequiredService<SagaRouting>();

        var health = await routing.CheckHealthAsync(new HealthCheckContext());
        var exchanges = routing.SourceExchanges();

        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Contains(exchanges, e => e.Name == "Trunk.Contracts.Transfers:TargetRinging");
        Assert.Contains(exchanges, e => e.Name == "Trunk.Contracts.Policy:FundsReserved");
        Assert.DoesNotContain(exchanges, e => e.Name == LegHungUpExchange);
        Assert.All(exchanges, e => Assert.Equal((ExchangeType.Fanout, true, false), (e.ExchangeType, e.Durable, e.AutoDelete)));
    }

    /// <summary>
    /// A broker set up by a build that routed every leg's hang-up to the saga still delivers them to the shards: they are
    /// acknowledged in front of the saga (<see cref="HangUpsAcknowledged"/>), not one ends in a shard's <c>_skipped</c>
    /// queue, and the call's end behind them still reaches the saga.
    /// </summary>
    [Fact]
    public async Task When_an_earlier_builds_binding_still_routes_hang_ups_Should_consume_them_before_the_saga_without_skipping_any()
    {
        var transfer = new TransferScenario(fixture.Policy, fixture.Signaling, () => fixture.Host.Bus);
        await transfer.DialledAsync();
        var skippedBefore = await SkippedAsync();
        await using var connection = await TestInfrastructure.RabbitConnectionFactory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(LegHungUpExchange, ExchangeType.Fanout, durable: true);
        await channel.ExchangeBindAsync(SagaShards.Exchange, LegHungUpExchange, routingKey: "");
        try
        {
            foreach (var leg in new[] { LegSide.Endpoint, LegSide.Target, LegSide.Caller })
            {
                await transfer.PublishAsync(new LegHungUp(transfer.CallId, TransferScenario.Now, "signaling-test", leg, leg, 200, null));
            }

            await transfer.PublishAsync(new CallEnded(transfer.CallId, TransferScenario.Now, "signaling-test", TimeSpan.FromSeconds(20), "caller_hangup", 200, 16));
            await transfer.ExpectAsync<CancelTarget>();
            Assert.Equal(skippedBefore, await SkippedAsync());
        }
        finally
        {
            await channel.ExchangeUnbindAsync(SagaShards.Exchange, LegHungUpExchange, routingKey: "");
        }
    }

    private const string LegHungUpExchange = "Trunk.Contracts.Calls:LegHungUp";

    private static async Task<uint> SkippedAsync()
    {
        await using var connection = await TestInfrastructure.RabbitConnectionFactory().CreateConnectionAsync();
        var total = 0u;
        for (var shard = 0; shard < 4; shard++)
        {
            await using var channel = await connection.CreateChannelAsync();
            try
            {
                total += (await channel.QueueDeclarePassiveAsync(SagaShards.ShardQueue(shard) + "_skipped")).MessageCount;
            }
            catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
            {
                // No skipped queue: nothing was ever skipped on this shard.
            }
        }

        return total;
    }
}
