using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Trunk.Signaling.Tests.Support;
using Trunk.Testing;
using Trunk.Testing.Sip;
using static Trunk.Testing.Sip.TransferScenarios;

namespace Trunk.Signaling.Tests.Commands;

/// <summary>
/// The instance's command queue expires an hour after its instance stops, so that the queues of stopped instances,
/// which rule and trunk changes keep filling, do not pile up on the broker.
/// </summary>
[Collection(SignalingCollection.Name)]
public sealed class InstanceQueueTests(SignalingFixture fixture)
{
    [Fact]
    public async Task When_a_call_names_the_instances_command_queue_Should_find_it_declared_to_expire_after_an_hour_unused()
    {
        var did = TrunkWorld.NewDid();
        await using var endpoint = Sipp.Server(Scenario.Write("uas_answers.xml", Values()));
        fixture.World.AddTrunk(did, [endpoint.Uri]);
        await using var caller = Sipp.Client(Scenario.Write("caller_hangs_up.xml", Values()), fixture.SipPort, did);
        await caller.AssertPassedAsync("caller", fixture.Diagnostics);
        var queue = (await fixture.World.WaitForCallAsync(did)).Received.CommandQueue;

        await using var connection = await TestInfrastructure.RabbitConnectionFactory().CreateConnectionAsync();
        await using (var channel = await connection.CreateChannelAsync())
        {
            // Declaring it as it is succeeds: durable, with the expiry.
            var declared = await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
                new Dictionary<string, object?> { ["x-expires"] = (int)SignalingExtensions.InstanceQueueExpiry.TotalMilliseconds });
            Assert.Equal(queue, declared.QueueName);
        }

        // A queue: send would declare it without the expiry: RabbitMQ refuses that, which is why commands go to its exchange.
        await using var plain = await connection.CreateChannelAsync();
        var refused = await Assert.ThrowsAsync<OperationInterruptedException>(() =>
            plain.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false));
        Assert.Contains("x-expires", refused.Message, StringComparison.Ordinal);
    }
}
