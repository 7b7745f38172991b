using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;
using Trunk.Contracts;
using Trunk.ServiceDefaults.Messaging;

namespace Trunk.ServiceDefaults.Tests.Messaging;

public sealed record RoutedProbe(Guid CallId, DateTimeOffset At, int Sequence) : ICallMessage;

/// <summary>
/// A call's messages, published or sent through the trunk's bus, carry the call id as routing key, so that RabbitMQ's
/// consistent-hash exchange (the plugin the trunk enables) puts all of them on one of its queues in the order they were
/// sent, and spreads calls over every queue: what Transfer's saga shards rely on.
/// </summary>
public sealed class CallRoutingKeyTests
{
    private const int Queues = 4;
    private const int Calls = 40;
    private const int MessagesPerCall = 6;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task When_call_messages_go_through_a_consistent_hash_exchange_Should_keep_each_call_on_one_queue_in_order()
    {
        var exchange = $"routing-tests-{Guid.NewGuid():N}";
        await using var broker = await TestBroker.ConnectAsync();
        await using var channel = await broker.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(exchange, "x-consistent-hash", durable: true, autoDelete: false);
        try
        {
            var queues = new List<string>();
            for (var i = 0; i < Queues; i++)
            {
                var queue = (await channel.QueueDeclareAsync($"{exchange}-{i}", durable: false, exclusive: true, autoDelete: true)).QueueName;
                await channel.QueueBindAsync(queue, exchange, routingKey: "1");
                queues.Add(queue);
            }

            using var host = await BusTestHost.StartAsync(new Dictionary<string, string?>(), _ => { }, _ => { });
            var publishExchange = typeof(RoutedProbe).Namespace + ":" + nameof(RoutedProbe);
            await channel.ExchangeDeclareAsync(publishExchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.ExchangeBindAsync(exchange, publishExchange, routingKey: "");
            var calls = Enumerable.Range(0, Calls).Select(_ => NewId.NextGuid()).ToList();

            await SendAllAsync(host, calls, new Uri($"exchange:{exchange}?type=x-consistent-hash"));

            var received = await ReceiveAsync(channel, queues, Calls * MessagesPerCall);
            Assert.All(received.Values.SelectMany(messages => messages), message => Assert.Equal(CallRoutingKey.Of(message.CallId), message.RoutingKey));
            foreach (var call in calls)
            {
                var holding = received.Where(q => q.Value.Any(m => m.CallId == call)).ToList();
                var queue = Assert.Single(holding);
                Assert.Equal(Enumerable.Range(0, MessagesPerCall), queue.Value.Where(m => m.CallId == call).Select(m => m.Sequence));
            }

            Assert.All(received.Values, messages => Assert.NotEmpty(messages));
            await host.StopAsync();
        }
        finally
        {
            await channel.ExchangeDeleteAsync(exchange);
        }
    }

    /// <summary>Turn about, every call's next message: odd ones published (through the bound exchange), even ones sent straight to the exchange.</summary>
    private static async Task SendAllAsync(IHost host, IReadOnlyList<Guid> calls, Uri exchange)
    {
        var bus = host.Services.GetRequiredService<IBus>();
        var endpoint = await bus.GetSendEndpoint(exchange);
        for (var sequence = 0; sequence < MessagesPerCall; sequence++)
        {
            foreach (var call in calls)
            {
                var message = new RoutedProbe(call, DateTimeOffset.UtcNow, sequence);
                await (sequence % 2 == 0 ? endpoint.Send(message) : bus.Publish(message));
            }
        }
    }

    private static async Task<Dictionary<string, List<Received>>> ReceiveAsync(IChannel channel, IReadOnlyList<string> queues, int expected)
    {
        var received = queues.ToDictionary(q => q, _ => new List<Received>());
        using var timeout = new CancellationTokenSource(Patience);
        while (received.Values.Sum(messages => messages.Count) < expected)
        {
            var any = false;
            foreach (var queue in queues)
            {
                while (await channel.BasicGetAsync(queue, autoAck: true, timeout.Token) is { } delivery)
                {
                    using var body = JsonDocument.Parse(delivery.Body);
                    var message = body.RootElement.GetProperty("message");
                    received[queue].Add(new Received(message.GetProperty("callId").GetGuid(), message.GetProperty("sequence").GetInt32(), delivery.RoutingKey));
                    any = true;
                }
            }

            if (!any)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
            }
        }

        return received;
    }

    private sealed record Received(Guid CallId, int Sequence, string RoutingKey);
}
