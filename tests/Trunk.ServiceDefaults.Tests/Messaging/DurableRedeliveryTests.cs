using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Trunk.ServiceDefaults.Tests.Messaging;

/// <summary>A message waiting for its redelivery is in RabbitMQ, not in the process: it outlives the bus that failed it.</summary>
public sealed class DurableRedeliveryTests
{
    private const string Queue = "redelivery-tests-durable";
    private const string DelayQueue = "trunk-redelivery-5s";

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["RabbitMq:Redelivery:Intervals:0"] = "00:00:05",
        ["RabbitMq:Redelivery:Intervals:1"] = "00:00:05",
    };

    [Fact]
    public async Task When_the_bus_stops_while_a_message_waits_for_redelivery_Should_deliver_it_to_the_next_bus()
    {
        var message = new RedeliveryProbe(Guid.NewGuid(), FailuresBeforeSuccess: 0);
        var messageId = NewId.NextGuid();
        await using var broker = await TestBroker.ConnectAsync();

        var failing = await StartAsync(new DeliveryLog { FailEverything = true });
        await failing.SendAsync(Queue, message, context => context.MessageId = messageId);
        await broker.WaitForMessageAsync(DelayQueue);
        await failing.StopAsync();
        failing.Dispose();

        var log = new DeliveryLog();
        using var next = await StartAsync(log);
        var redelivered = await log.Succeeded(message.Id);
        await next.StopAsync();

        Assert.InRange(redelivered.Redelivery, 1, 2);
        Assert.Equal(messageId, redelivered.MessageId);
        await broker.DeclareAsync(DelayQueue, durable: true, new Dictionary<string, object?>
        {
            ["x-message-ttl"] = 5000L,
            ["x-dead-letter-exchange"] = "",
        });
    }

    private static Task<IHost> StartAsync(DeliveryLog log) =>
        BusTestHost.StartAsync(
            Settings,
            services => services.AddSingleton(log),
            bus => bus.AddConsumer<RedeliveryProbeConsumer>().Endpoint(BusTestHost.OwnQueue(Queue)));
}
