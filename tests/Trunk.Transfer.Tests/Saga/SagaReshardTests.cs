using Trunk.Contracts.Transfers;
using Trunk.Testing;
using Trunk.Testing.Messaging;

namespace Trunk.Transfer.Tests.Saga;

/// <summary>
/// Lowering <c>Transfer:SagaShards</c> strands no call: the shard queues an earlier, larger count left stay bound to the
/// consistent-hash exchange, so the saga reads them too. On a virtual host of its own, so that no other test's host
/// reads its shards.
/// </summary>
public sealed class SagaReshardTests
{
    [Fact]
    public async Task When_an_earlier_larger_shard_count_left_its_queues_bound_Should_read_them_too_and_handle_every_call()
    {
        var vhost = $"test-transfer-reshard-{Guid.NewGuid():N}"[..32];
        await RabbitControl.RunAsync("add_vhost", vhost);
        await RabbitControl.RunAsync("set_permissions", "-p", vhost, TestInfrastructure.RabbitUsername, ".*", ".*", ".*");
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

    private static Dictionary<string, string?> Settings(string vhost, int shards) => new()
    {
        ["RabbitMq:VirtualHost"] = vhost,
        ["Transfer:SagaShards"] = shards.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
