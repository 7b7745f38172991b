using System.Text;
using RabbitMQ.Client;
using Trunk.CallHistory.Tests.Support;
using Trunk.ServiceDefaults.Telemetry;
using Trunk.Testing;
using Trunk.Testing.Messaging;

namespace Trunk.CallHistory.Tests.Recording;

/// <summary>
/// A delivery the reader could not store goes to the retry queue; when the broker refuses it there (the queue is full),
/// the delivery goes back to the events queue and comes again, so that nothing is lost while the retry queue is away.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class CallEventQueueRequeueTests(CallHistoryHost host)
{
    [Fact]
    public async Task When_the_retry_queue_refuses_a_forwarded_delivery_Should_keep_it_and_forward_it_once_the_queue_accepts_again()
    {
        var call = new TransferredCall(TimeProvider.System.GetUtcNow(), "+15557200101");
        var poisonId = Guid.NewGuid().ToString();
        const string Body = "{\"messageId\": \"not a guid either\"";
        var policy = "refuse-" + poisonId;
        await RabbitPolicy.SetAsync(policy, "^" + host.RetryQueue.Replace(".", "\\.", StringComparison.Ordinal) + "$", """{"max-length":0,"overflow":"reject-publish"}""");
        try
        {
            await host.PublishAsync(call.Received);
            await using (var connection = await TestInfrastructure.RabbitConnectionFactory().CreateConnectionAsync())
            await using (var channel = await connection.CreateChannelAsync())
            {
                var properties = new BasicProperties { MessageId = poisonId, ContentType = "application/vnd.masstransit+json", Persistent = true };
                await channel.BasicPublishAsync("", host.EventsQueue, mandatory: true, properties, Encoding.UTF8.GetBytes(Body));
            }

            await host.PublishAsync(call.Events[1]);

            // The events on either side are stored while the poison goes round, refused by the retry queue each time
            // and requeued after a wait that doubles (1, 2, 4 s): a few tries in the first seconds, not a loop.
            await host.WaitForEventsAsync(call.CallId, 2);
            var first = await PrometheusScrape.WaitAsync(host.Http, s => Refused(s) >= 1, TimeSpan.FromSeconds(10));
            Assert.True(Refused(first) >= 1, "The retry queue never refused the forwarded delivery.");
            await Task.Delay(TimeSpan.FromSeconds(3));
            var later = await PrometheusScrape.WaitAsync(host.Http, _ => true, TimeSpan.Zero);
            Assert.InRange(Refused(later), 2, 4);
            Assert.Null(await RabbitQueues.TryTakeAsync(host.RetryQueue + "_error", poisonId));
        }
        finally
        {
            await RabbitPolicy.ClearAsync(policy);
        }

        var faulted = await RabbitQueues.TakeAsync(host.RetryQueue + "_error", poisonId);
        Assert.Equal(Body, Encoding.UTF8.GetString(faulted.Body));
    }

    private static double Refused(PrometheusScrape scrape) =>
        scrape.Sum(TrunkMetrics.UnstoredEvents.PrometheusName, "outcome=\"refused\"");

    /// <summary>A queue policy on the test broker, set as an operator would.</summary>
    private static class RabbitPolicy
    {
        public static Task SetAsync(string name, string pattern, string definition) =>
            RabbitControl.RunAsync("set_policy", "-p", TestInfrastructure.RabbitVirtualHost, "--apply-to", "queues", "--priority", "100", name, pattern, definition);

        public static Task ClearAsync(string name) => RabbitControl.RunAsync("clear_policy", "-p", TestInfrastructure.RabbitVirtualHost, name);
    }
}
