using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Marten;
using RabbitMQ.Client;
using Trunk.CallHistory.Recording;
using Trunk.CallHistory.Tests.Support;
using Trunk.Contracts.Calls;
using Trunk.ServiceDefaults.Telemetry;
using Trunk.Testing;

namespace Trunk.CallHistory.Tests.Recording;

/// <summary>The reader of CallHistory's event queue: MassTransit's envelope read without the bus, spans in the publisher's trace, poison to the error queue.</summary>
[Collection(HostCollection.Name)]
public sealed class CallEventQueueTests(CallHistoryHost host)
{
    private static readonly ActivitySource Publisher = new("Trunk.CallHistory.Tests.Publisher");
    private static readonly ConcurrentQueue<Activity> Recorded = new();
    private static readonly ActivityListener Listener = Listen();

    [Fact]
    public async Task When_an_event_is_published_in_a_trace_Should_record_it_in_a_span_of_that_trace_ended_at_its_commit()
    {
        Assert.NotNull(Listener);
        var call = new TransferredCall(TimeProvider.System.GetUtcNow(), "+15557200001");
        var messageId = Guid.NewGuid();
        string traceId;
        using (var publishing = Publisher.StartActivity("publish a call event"))
        {
            traceId = publishing!.TraceId.ToString();
            await host.PublishAsync(call.Received, messageId);
        }

        await host.WaitForSummaryAsync(call.CallId, s => s.StartedAt is not null);
        var span = await EventuallyAsync(() => Recorded.FirstOrDefault(a => Equals(a.GetTagItem("messaging.message.id"), messageId) && a.Duration > TimeSpan.Zero));

        Assert.Equal(CallEventQueue.SpanName, span.DisplayName);
        Assert.Equal(ActivityKind.Consumer, span.Kind);
        Assert.Equal(traceId, span.TraceId.ToString());
        Assert.Equal(nameof(CallReceived), span.GetTagItem("trunk.event_type"));
        await using var session = host.Store.QuerySession();
        var stored = Assert.Single(await session.Events.FetchStreamAsync(call.CallId));
        Assert.Equal(span.ParentSpanId.ToHexString(), stored.Headers![CallEventBatch.TraceParentHeader].ToString()!.Split('-')[2]);
    }

    [Fact]
    public async Task When_a_delivery_is_not_a_call_events_envelope_Should_move_it_to_the_error_queue_and_store_the_events_around_it()
    {
        var call = new TransferredCall(TimeProvider.System.GetUtcNow(), "+15557200002");
        var poisonId = Guid.NewGuid().ToString();
        await host.PublishAsync(call.Received);
        await using (var connection = await TestInfrastructure.RabbitConnectionFactory().CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            var properties = new BasicProperties { MessageId = poisonId, ContentType = "application/vnd.masstransit+json", Persistent = true };
            await channel.BasicPublishAsync("", host.EventsQueue, mandatory: true, properties, Encoding.UTF8.GetBytes("{\"messageId\": \"not a guid\""));
        }

        await host.PublishAsync(call.Events[1]);

        await host.WaitForEventsAsync(call.CallId, 2);
        var faulted = await RabbitQueues.TakeAsync(host.RetryQueue + "_error", poisonId);
        Assert.Equal(poisonId, faulted.MessageId);
        Assert.Equal("{\"messageId\": \"not a guid\"", Encoding.UTF8.GetString(faulted.Body));
    }

    [Fact]
    public async Task When_an_event_is_read_Should_count_its_consumer_lag_as_the_bus_does()
    {
        var call = new TransferredCall(TimeProvider.System.GetUtcNow(), "+15557200003");
        await host.PublishAsync(call.Events[1]);
        await host.WaitForEventsAsync(call.CallId, 1);

        var lag = TrunkMetrics.ConsumerLag.PrometheusName;
        var series = $"messaging_message_type=\"{call.Events[1].GetType().Name}\"";
        var scrape = await PrometheusScrape.WaitAsync(host.Http, s => s.Find(lag + "_count", series).Any(), TimeSpan.FromSeconds(10));
        Assert.NotEmpty(scrape.Find(lag + "_bucket", series));
    }

    private static ActivityListener Listen()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Trunk.Callhistory" || source == Publisher,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.DisplayName == CallEventQueue.SpanName)
                {
                    Recorded.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private static async Task<T> EventuallyAsync<T>(Func<T?> probe)
        where T : class
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(30);
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            if (probe() is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The span never ended.");
    }
}
