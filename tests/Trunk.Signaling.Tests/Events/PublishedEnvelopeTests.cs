using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;
using RabbitMQ.Client;
using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Contracts.Policy;
using Trunk.Contracts.Transfers;
using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Messaging;
using Trunk.Signaling.Tracing;
using Trunk.Sip.Messages;
using Trunk.Sip.Transport;
using Trunk.Testing;
using Trunk.Testing.Messaging;

namespace Trunk.Signaling.Tests.Events;

/// <summary>
/// Signaling publishes its call messages with RabbitMQ.Client in MassTransit's envelope, not through MassTransit: every
/// MassTransit consumer must get each of them as if MassTransit had published it (the message, its id, its trace), stored
/// durably, and a publish the broker refused is tried again as the same message.
/// </summary>
public sealed class PublishedEnvelopeTests
{
    private static readonly Guid Transfer = Guid.NewGuid();

    /// <summary>Every message type Signaling publishes, one of each.</summary>
    private static ICallMessage[] EveryType(Guid call, DateTimeOffset at) =>
    [
        new CallReceived(call, at, "signaling-test", "signaling-test-commands", "abc@carrier", "+4930123", "+4940123", Guid.NewGuid(), Guid.NewGuid(), "192.0.2.1:5060"),
        new EndpointDialled(call, at, "signaling-test", "sip:pbx@198.51.100.7", 2, "ours@trunk"),
        new CallAnswered(call, at, "signaling-test", "sip:pbx@198.51.100.7", TimeSpan.FromMilliseconds(1234.5)),
        new ReferReceived(call, at, "signaling-test", Transfer, "signaling-test-commands", Guid.NewGuid(), Guid.NewGuid(), "+4930123", "+4989555",
            "trunk.example", "<sip:pbx@198.51.100.7>", 3, NotifyRequested: true),
        new ReserveFunds(call, at, Transfer, Guid.NewGuid(), "+4989555", 60),
        new ReferRejected(call, at, "signaling-test", 403, "geo \"DE\" not allowed", Transfer),
        new TargetDialled(call, at, "signaling-test", Transfer, "+4989555", "target@trunk"),
        new TargetRinging(call, at, "signaling-test", Transfer, 183, EarlyMedia: true),
        new TargetAnswered(call, at, "signaling-test", Transfer),
        new TargetFailed(call, at, "signaling-test", Transfer, 486, "Busy Here"),
        new CallBridged(call, at, "signaling-test", Transfer),
        new LegHungUp(call, at, "signaling-test", LegSide.Endpoint, LegSide.Caller, 200, "Q.850;cause=16;text=\"Normal call clearing\""),
        new SipMessagesTraced(call, at, "signaling-test",
            [new TracedSipMessage(at, LegSide.Caller, SipDirection.Received, "UDP", "127.0.0.1:5060", "127.0.0.1:5070",
                "INVITE sip:+4940123@trunk SIP/2.0\r\nFrom: <sip:+4930123@carrier>;tag=1\r\nSubject: ümlaut & <angle>\r\n\r\n")]),
        new CallEnded(call, at, "signaling-test", TimeSpan.FromSeconds(61.25), "caller_hangup", 200, 16),
    ];

    [Fact]
    public async Task When_each_message_type_is_published_Should_reach_a_MassTransit_consumer_whole_with_its_id_and_trace_and_persistent()
    {
        var call = Guid.NewGuid();
        var sent = EveryType(call, DateTimeOffset.UtcNow);
        var consumed = new Consumed();
        await using var consumer = await StartConsumerAsync($"signaling-tests-envelope-{Guid.NewGuid():N}", sent.Select(m => m.GetType()), consumed);
        using var identity = new ServiceIdentity("signaling", "envelope-test");
        var publishSpans = new ConcurrentDictionary<Type, string>();
        using var listener = ListenToPublishSpans(identity, call, publishSpans);
        using var publisher = await CallEventPublisherTests.StartPublisherAsync(consumer.Bus, identity);
        foreach (var message in sent)
        {
            Assert.True(publisher.Publish(message));
        }

        var received = await consumed.WaitForAsync(call, sent.Length);
        await publisher.StopAsync(CancellationToken.None);

        Assert.Equal(sent.Select(m => m.GetType()), received.Select(r => r.Message.GetType()));
        foreach (var (message, delivery) in sent.Zip(received))
        {
            // The whole message as MassTransit's serializer reads it (a trace's list compares by its content).
            Assert.Equal(Json(message), Json(delivery.Message));
            Assert.NotNull(delivery.MessageId);
            Assert.Equal(delivery.MessageId.ToString(), delivery.TransportMessageId);
            Assert.Equal(publishSpans[message.GetType()], delivery.TraceParent);
            Assert.True(delivery.Persistent, $"{message.GetType().Name} was not published persistent");
            Assert.Equal(CallRoutingKey.Of(call), delivery.RoutingKey);
            Assert.Equal("application/vnd.masstransit+json", delivery.ContentType);
        }

        Assert.Equal(sent.Length, received.Select(r => r.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task When_a_call_trace_is_published_from_its_pooled_bytes_Should_reach_a_MassTransit_consumer_as_the_SipMessagesTraced_it_stands_for()
    {
        var call = Guid.NewGuid();
        var at = DateTimeOffset.UtcNow;
        var local = new IPEndPoint(IPAddress.Loopback, 5060);
        var remote = new IPEndPoint(IPAddress.Parse("::1"), 5070);
        var pool = new TraceChunkPool(chunkSize: 512, maxKept: 8);
        var buffer = new SipTraceBuffer(pool);
        SipMessage[] wire =
        [
            SipMessageParser.Parse(Encoding.UTF8.GetBytes(
                "INVITE sip:+4940123@trunk SIP/2.0\r\nFrom: <sip:+4930123@carrier>;tag=1\r\nSubject: ümlaut & <angle>\r\nCall-ID: a\r\n\r\n")),
            SipMessageParser.Parse(Encoding.UTF8.GetBytes("SIP/2.0 200 OK\r\nCall-ID: a\r\nContent-Length: 1000\r\n\r\n" + new string('v', 1000))),
        ];
        foreach (var message in wire)
        {
            buffer.Add(at, LegSide.Caller, SipDirection.Received, SipTransportProtocol.Udp, local, remote, message);
        }

        var consumed = new Consumed();
        await using var consumer = await StartConsumerAsync($"signaling-tests-trace-{Guid.NewGuid():N}", [typeof(SipMessagesTraced)], consumed);
        using var identity = new ServiceIdentity("signaling", "trace-test");
        using var publisher = await CallEventPublisherTests.StartPublisherAsync(consumer.Bus, identity);
        Assert.True(publisher.Publish(new SipTraceBatch(call, at, "signaling-test", buffer.Drain()!)));

        var delivery = Assert.Single(await consumed.WaitForAsync(call, 1));
        await publisher.StopAsync(CancellationToken.None);

        var expected = new SipMessagesTraced(call, at, "signaling-test",
            [.. wire.Select(m => new TracedSipMessage(at, LegSide.Caller, SipDirection.Received, "UDP", "127.0.0.1:5060", "[::1]:5070", m.ToString()))]);
        Assert.Equal(Json(expected), Json(delivery.Message));
        Assert.True(delivery.Persistent);
        Assert.Equal(CallRoutingKey.Of(call), delivery.RoutingKey);
        // Written into the envelope, the messages gave their chunk back to the pool; the 200, larger than a chunk, had an array of its own.
        Assert.Equal(1, pool.Kept);
    }

    [Fact]
    public async Task When_the_broker_refuses_a_publish_Should_publish_it_again_with_the_same_message_id_until_confirmed()
    {
        var consumed = new Consumed();
        var queue = $"signaling-tests-refused-{Guid.NewGuid():N}";
        await using var consumer = await StartConsumerAsync(queue, [typeof(RefusedProbe)], consumed);
        // A second queue bound to the probe's exchange takes nothing and refuses what it cannot take: the broker then
        // answers the publish with a nack (while it still delivers to the consumer's queue).
        await using var connection = await RabbitMqConnectionFactory.For(CallEventPublisherTests.Broker).CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var full = queue + "-full";
        await channel.QueueDeclareAsync(full, durable: false, exclusive: false, autoDelete: true,
            arguments: new Dictionary<string, object?> { ["x-max-length"] = 0, ["x-overflow"] = "reject-publish" });
        await channel.QueueBindAsync(full, ExchangeOf(consumer.Bus), routingKey: "");

        using var identity = new ServiceIdentity("signaling", "refused-test");
        using var publisher = await CallEventPublisherTests.StartPublisherAsync(consumer.Bus, identity);
        var call = Guid.NewGuid();
        publisher.Publish(new RefusedProbe(call, DateTimeOffset.UtcNow));

        // Refused, so published again (each try also reached the consumer's queue): the same message each time.
        var tries = await consumed.WaitForAsync(call, 2);
        await channel.QueueDeleteAsync(full);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var afterConfirm = consumed.Of(call).Count;
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await publisher.StopAsync(CancellationToken.None);

        Assert.Single(tries.Select(t => t.MessageId).Distinct());
        Assert.All(consumed.Of(call), t => Assert.Equal(tries[0].MessageId, t.MessageId));
        // Once nothing refuses it, the broker's confirm ends the tries.
        Assert.Equal(afterConfirm, consumed.Of(call).Count);
    }

    /// <summary>A call message of the tests' own, so that its exchange is theirs alone.</summary>
    public sealed record RefusedProbe(Guid CallId, DateTimeOffset At) : ICallMessage;

    private static string ExchangeOf(IBus bus) =>
        ((IRabbitMqPublishTopology)bus.Topology.PublishTopology).GetMessageTopology<RefusedProbe>().Exchange.ExchangeName;

    private static string Json(object message) => JsonSerializer.Serialize(message, message.GetType(), SystemTextJsonMessageSerializer.Options);

    /// <summary>Records the id of each publish span of <paramref name="call"/> that ends, by the type its name ends in.</summary>
    private static ActivityListener ListenToPublishSpans(ServiceIdentity identity, Guid call, ConcurrentDictionary<Type, string> spans)
    {
        var types = EveryType(Guid.Empty, default).Select(m => m.GetType()).ToDictionary(t => "publish " + t.Name);
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == identity.TelemetryName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = span =>
            {
                if (types.TryGetValue(span.DisplayName, out var type) && Equals(span.GetTagItem("trunk.call_id"), call))
                {
                    spans[type] = span.Id!;
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    /// <summary>A MassTransit bus of the test's own with one auto-deleted queue and a handler for each of <paramref name="types"/>.</summary>
    private static async Task<BusHandle> StartConsumerAsync(string queue, IEnumerable<Type> types, Consumed consumed)
    {
        var handle = typeof(Consumed).GetMethod(nameof(Consumed.Handle))!;
        var bus = TestBus.WithQueue(queue, endpoint =>
        {
            foreach (var type in types)
            {
                handle.MakeGenericMethod(type).Invoke(consumed, [endpoint]);
            }
        });
        await bus.StartAsync();
        return new BusHandle(bus);
    }

    /// <summary>The test's bus, stopped when disposed.</summary>
    private sealed class BusHandle(IBusControl bus) : IAsyncDisposable
    {
        public IBus Bus => bus;

        public ValueTask DisposeAsync() => new(bus.StopAsync());
    }

    /// <summary>A delivery as a MassTransit consumer saw it.</summary>
    private sealed record Delivery(
        object Message, Guid? MessageId, string? TransportMessageId, string? TraceParent, bool Persistent, string? RoutingKey, string? ContentType);

    private sealed class Consumed
    {
        private readonly ConcurrentQueue<Delivery> _deliveries = new();

        public void Handle<T>(IReceiveEndpointConfigurator endpoint)
            where T : class, ICallMessage =>
            endpoint.Handler<T>(context =>
            {
                var rabbit = context.ReceiveContext.GetPayload<RabbitMqBasicConsumeContext>();
                _deliveries.Enqueue(new Delivery(
                    context.Message,
                    context.MessageId,
                    rabbit.Properties.MessageId,
                    context.Headers.Get<string>(MassTransit.Logging.DiagnosticHeaders.ActivityId),
                    rabbit.Properties.Persistent,
                    rabbit.RoutingKey,
                    context.ReceiveContext.ContentType?.MediaType));
                return Task.CompletedTask;
            });

        public List<Delivery> Of(Guid call) => _deliveries.Where(d => ((ICallMessage)d.Message).CallId == call).ToList();

        /// <summary>The call's first <paramref name="count"/> deliveries in arrival order, once that many came (10 s at most).</summary>
        public async Task<List<Delivery>> WaitForAsync(Guid call, int count)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (DateTime.UtcNow < deadline)
            {
                if (Of(call) is { } arrived && arrived.Count >= count)
                {
                    return arrived.Take(count).ToList();
                }

                await Task.Delay(50);
            }

            throw new TimeoutException($"Fewer than {count} messages of call {call} came in 10 s ({Of(call).Count} did).");
        }
    }
}
