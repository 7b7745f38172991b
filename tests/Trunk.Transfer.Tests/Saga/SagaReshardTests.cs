using Microsoft.Extensions.DependencyInjection;
using Trunk.Contracts.Transfers;
using Trunk.Testing;
using Trunk.Testing.Messaging;
using Trunk.Transfer.Saga;

namespace Trunk.Transfer.Tests.Saga;

/// <summary>
/// Changing <c>Transfer:SagaShards</c> strands no call and leaves no queue filling for ever. Lowered, the shard queues an
/// earlier, larger count left stay bound to the consistent-hash exchange, so the saga reads them too; back to one queue,
/// the copies to the shards stop, what they still hold is read and the empty ones are deleted; sharded after one queue,
/// that queue's bindings and the queue go. Each on a virtual host of its own, so that no other test's host reads its
/// queues.
/// </summary>
public sealed class SagaReshardTests
{
    private readonly PolicyScript _policy = new();
    private readonly SignalingLog _signaling = new();

    [Fact]
    public Task When_an_earlier_larger_shard_count_left_its_queues_bound_Should_read_them_too_and_handle_every_call() =>
        OnVirtualHostOfItsOwnAsync(async vhost =>
        {
            await RunOnceAsync(vhost, shards: 5);

            await using var fewer = await StartAsync(vhost, shards: 2);

            // Twelve calls all hashed to the two configured shards would be a chance of (2/5)^12: most land on the others.
            await AssertEachAnsweredAsync(fewer, 12);
        });

    [Fact]
    public Task When_the_saga_goes_back_to_one_queue_Should_stop_filling_the_shard_queues_and_handle_what_they_hold() =>
        OnVirtualHostOfItsOwnAsync(async vhost =>
        {
            TransferScenario leftover;
            await using (var sharded = await StartAsync(vhost, shards: 3))
            {
                // A call's event reaches its shard queue while nothing reads the shards: the switch catches it in flight.
                await sharded.Services.GetRequiredService<SagaShardEndpoints>().StopAsync(CancellationToken.None);
                leftover = new TransferScenario(_policy, _signaling, () => sharded.Bus);
                await leftover.StartAsync(PolicyAnswer.Deny);
                await WaitUntilAsync(async () => ShardMessages(await RabbitControl.QueuesAsync(vhost)) == 1);
            }

            await using (var oneQueue = await StartAsync(vhost, shards: 1))
            {
                Assert.Equal(403, (await leftover.ExpectAsync<AnswerRefer>()).SipCode);
                await AssertEachAnsweredAsync(oneQueue, 6);

                // Without the bindings removed every one of these events would also sit in a shard queue, unread for ever.
                var (queues, bindings, state) = await BrokerStateAsync(vhost);
                Assert.True(ShardMessages(queues) == 0, state);
                Assert.True(queues.Keys.Count(IsShardQueue) == 1, state);
                Assert.False(bindings.Contains("\t" + SagaShards.Exchange, StringComparison.Ordinal), state);
            }

            // The next start finds the read shard queue empty: it and the exchange go.
            await RunOnceAsync(vhost, shards: 1);
            var (after, _, left) = await BrokerStateAsync(vhost);
            Assert.False(after.Keys.Any(IsShardQueue), left);
            Assert.DoesNotContain(SagaShards.Exchange, await RabbitControl.RunAsync("list_exchanges", "-p", vhost, "--no-table-headers", "name"), StringComparison.Ordinal);
        });

    [Fact]
    public Task When_the_saga_is_sharded_after_running_on_one_queue_Should_delete_the_one_queue_that_nothing_reads_any_more() =>
        OnVirtualHostOfItsOwnAsync(async vhost =>
        {
            await RunOnceAsync(vhost, shards: 1);

            await using var sharded = await StartAsync(vhost, shards: 3);
            await AssertEachAnsweredAsync(sharded, 6);

            // Left bound, it would now hold a copy of each of these events, unread for ever.
            var (queues, bindings, state) = await BrokerStateAsync(vhost);
            Assert.False(queues.ContainsKey(SagaShards.Queue), state);
            Assert.False(bindings.Contains(":ReferReceived\t" + SagaShards.Queue + "\n", StringComparison.Ordinal), state);
        });

    private static async Task OnVirtualHostOfItsOwnAsync(Func<string, Task> test)
    {
        var vhost = $"test-transfer-reshard-{Guid.NewGuid():N}"[..32];
        await RabbitControl.RunAsync("add_vhost", vhost);
        await RabbitControl.RunAsync("set_permissions", "-p", vhost, TestInfrastructure.RabbitUsername, ".*", ".*", ".*");
        try
        {
            await test(vhost);
        }
        finally
        {
            await RabbitControl.RunAsync("delete_vhost", vhost);
        }
    }

    private Task<TransferHost> StartAsync(string vhost, int shards) =>
        TransferHost.StartAsync(_policy, _signaling, new Dictionary<string, string?>
        {
            ["RabbitMq:VirtualHost"] = vhost,
            ["Transfer:SagaShards"] = shards.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    /// <summary>Starts and stops a host, leaving on the broker the queues and bindings of its shard count.</summary>
    private async Task RunOnceAsync(string vhost, int shards)
    {
        await using var host = await StartAsync(vhost, shards);
    }

    /// <summary>Starts <paramref name="count"/> transfers Policy denies; each REFER must be answered 403.</summary>
    private async Task AssertEachAnsweredAsync(TransferHost host, int count)
    {
        var transfers = Enumerable.Range(0, count).Select(_ => new TransferScenario(_policy, _signaling, () => host.Bus)).ToList();
        foreach (var transfer in transfers)
        {
            await transfer.StartAsync(PolicyAnswer.Deny);
        }

        foreach (var transfer in transfers)
        {
            Assert.Equal(403, (await transfer.ExpectAsync<AnswerRefer>()).SipCode);
        }
    }

    /// <summary>The virtual host's queues and bindings, and both as text for a failure message.</summary>
    private static async Task<(IReadOnlyDictionary<string, long> Queues, string Bindings, string State)> BrokerStateAsync(string vhost)
    {
        var queues = await RabbitControl.QueuesAsync(vhost);
        var bindings = await RabbitControl.RunAsync("list_bindings", "-p", vhost, "--no-table-headers", "source_name", "destination_name");
        return (queues, bindings, $"queues: {string.Join(", ", queues)}\nbindings:\n{bindings}");
    }

    private static bool IsShardQueue(string queue) =>
        queue.StartsWith(SagaShards.Queue + "-", StringComparison.Ordinal) && int.TryParse(queue.AsSpan(SagaShards.Queue.Length + 1), out _);

    private static long ShardMessages(IReadOnlyDictionary<string, long> queues) => queues.Where(q => IsShardQueue(q.Key)).Sum(q => q.Value);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true within 20 s.");
            await Task.Delay(100);
        }
    }
}
