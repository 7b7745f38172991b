using Microsoft.Extensions.DependencyInjection;
using Trunk.Contracts.Transfers;
using Trunk.Testing;
using Trunk.Testing.Messaging;
using Trunk.Transfer.Saga;

namespace Trunk.Transfer.Tests.Saga;

/// <summary>
/// Lowering <c>Transfer:SagaShards</c> strands no call: the shard queues an earlier, larger count left stay bound to the
/// consistent-hash exchange, so the saga reads them too; going back to one queue stops the copies to the shards, reads
/// what they still hold and deletes the empty ones. Each on a virtual host of its own, so that no other test's host
/// reads its shards.
/// </summary>
public sealed class SagaReshardTests
{
    [Fact]
    public async Task When_an_earlier_larger_shard_count_left_its_queues_bound_Should_read_them_too_and_handle_every_call()
    {
        var vhost = await NewVirtualHostAsync();
        try
        {
            var policy = new PolicyScript();
            var signaling = new SignalingLog();
            await using (await TransferHost.StartAsync(policy, signaling, Settings(vhost, shards: 5)))
            {
                // Five shard queues now exist, bound to the exchange.
            }

            await using var fewer = await TransferHost.StartAsync(policy, signaling, Settings(vhost, shards: 2));
            var transfers = Enumerable.Range(0, 12).Select(_ => new TransferScenario(policy, signaling, () => fewer.Bus)).ToList();
            foreach (var transfer in transfers)
            {
                await transfer.StartAsync(PolicyAnswer.Deny);
            }

            // Twelve calls all hashed to the two configured shards would be a chance of (2/5)^12: most land on the others.
            foreach (var transfer in transfers)
            {
                Assert.Equal(403, (await transfer.ExpectAsync<AnswerRefer>()).SipCode);
            }
        }
        finally
        {
            await RabbitControl.RunAsync("delete_vhost", vhost);
        }
    }

    [Fact]
    public async Task When_the_saga_goes_back_to_one_queue_Should_stop_filling_the_shard_queues_and_handle_what_they_hold()
    {
        var vhost = await NewVirtualHostAsync();
        try
        {
            var policy = new PolicyScript();
            var signaling = new SignalingLog();
            TransferScenario leftover;
            await using (var sharded = await TransferHost.StartAsync(policy, signaling, Settings(vhost, shards: 3)))
            {
                // A call's event reaches its shard queue while nothing reads the shards: the switch catches it in flight.
                await sharded.Services.GetRequiredService<SagaShardEndpoints>().StopAsync(CancellationToken.None);
                leftover = new TransferScenario(policy, signaling, () => sharded.Bus);
                await leftover.StartAsync(PolicyAnswer.Deny);
                await WaitUntilAsync(async () => ShardMessages(await RabbitControl.QueuesAsync(vhost)) == 1);
            }

            await using var oneQueue = await TransferHost.StartAsync(policy, signaling, Settings(vhost, shards: 1));
            Assert.Equal(403, (await leftover.ExpectAsync<AnswerRefer>()).SipCode);
            var transfers = Enumerable.Range(0, 6).Select(_ => new TransferScenario(policy, signaling, () => oneQueue.Bus)).ToList();
            foreach (var transfer in transfers)
            {
                await transfer.StartAsync(PolicyAnswer.Deny);
                Assert.Equal(403, (await transfer.ExpectAsync<AnswerRefer>()).SipCode);
            }

            // Without the bindings removed every one of these events would also sit in a shard queue, unread for ever.
            var queues = await RabbitControl.QueuesAsync(vhost);
            var bindings = await Bindings(vhost);
            var state = $"queues: {string.Join(", ", queues)}\nbindings:\n{bindings}";
            Assert.True(ShardMessages(queues) == 0, state);
            Assert.True(queues.Keys.Count(IsShardQueue) == 1, state);
            Assert.False(bindings.Contains("\t" + SagaShards.Exchange, StringComparison.Ordinal), state);
        }
        finally
        {
            await RabbitControl.RunAsync("delete_vhost", vhost);
        }
    }

    [Fact]
    public async Task When_the_saga_is_sharded_after_running_on_one_queue_Should_delete_the_one_queue_that_nothing_reads_any_more()
    {
        var vhost = await NewVirtualHostAsync();
        try
        {
            var policy = new PolicyScript();
            var signaling = new SignalingLog();
            await using (await TransferHost.StartAsync(policy, signaling, Settings(vhost, shards: 1)))
            {
                // The one queue now exists, bound to every event type's exchange.
            }

            await using var sharded = await TransferHost.StartAsync(policy, signaling, Settings(vhost, shards: 3));
            var transfers = Enumerable.Range(0, 6).Select(_ => new TransferScenario(policy, signaling, () => sharded.Bus)).ToList();
            foreach (var transfer in transfers)
            {
                await transfer.StartAsync(PolicyAnswer.Deny);
                Assert.Equal(403, (await transfer.ExpectAsync<AnswerRefer>()).SipCode);
            }

            // Left bound, it would now hold a copy of each of these events, unread for ever.
            var queues = await RabbitControl.QueuesAsync(vhost);
            var bindings = await Bindings(vhost);
            var state = $"queues: {string.Join(", ", queues)}\nbindings:\n{bindings}";
            Assert.False(queues.ContainsKey(SagaShards.Queue), state);
            Assert.False(bindings.Contains(":ReferReceived\t" + SagaShards.Queue + "\n", StringComparison.Ordinal), state);
        }
        finally
        {
            await RabbitControl.RunAsync("delete_vhost", vhost);
        }
    }

    private static async Task<string> NewVirtualHostAsync()
    {
        var vhost = $"test-transfer-reshard-{Guid.NewGuid():N}"[..32];
        await RabbitControl.RunAsync("add_vhost", vhost);
        await RabbitControl.RunAsync("set_permissions", "-p", vhost, TestInfrastructure.RabbitUsername, ".*", ".*", ".*");
        return vhost;
    }

    private static Task<string> Bindings(string vhost) =>
        RabbitControl.RunAsync("list_bindings", "-p", vhost, "--no-table-headers", "source_name", "destination_name");

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

    private static Dictionary<string, string?> Settings(string vhost, int shards) => new()
    {
        ["RabbitMq:VirtualHost"] = vhost,
        ["Transfer:SagaShards"] = shards.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
