using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Messaging;
using Trunk.ServiceDefaults.Settings;
using Trunk.ServiceDefaults.Telemetry;

namespace Trunk.CallHistory.Recording;

/// <summary>
/// Reads CallHistory's event queue with RabbitMQ.Client instead of MassTransit's per-message pipeline: each delivery's
/// MassTransit envelope is read (<see cref="CallEventEnvelope"/>) and handed to <see cref="CallEventWriter"/>, and the
/// deliveries are acknowledged in their queue order, only after their commit, a run of committed ones with one
/// multiple-ack. A delivery the writer could not store (after its batch was split down to it) or that is not a call
/// event's envelope is forwarded, as received, to <see cref="RetryQueue"/> (confirmed before the original is
/// acknowledged), where MassTransit's <see cref="CallEventConsumer{TEvent}"/> retries it with the bus's immediate retries
/// and delayed redelivery and finally moves it to that queue's <c>_error</c> queue. Each delivery gets a
/// <c>callhistory record</c> span in its publisher's trace, ended at its commit, and its first delivery is counted in the
/// bus's consumer lag as MassTransit's consumers count theirs.
/// </summary>
public sealed partial class CallEventQueue(
    CallEventWriter writer,
    IBus bus,
    IOptions<CallHistorySettings> settings,
    IOptions<RabbitMqSettings> broker,
    ServiceIdentity identity,
    TimeProvider time,
    ILogger<CallEventQueue> logger) : BackgroundService, IHealthCheck
{
    public const string HealthCheckName = "callhistory-events";

    /// <summary>What the span of each recorded delivery is called.</summary>
    public const string SpanName = "callhistory record";

    private readonly string _prefix = settings.Value.QueuePrefix ?? "";

    /// <summary>The bus's consumer lag (every service's, on the dashboard and in the alerts), for the deliveries read here.</summary>
    private readonly Histogram<double> _lag = identity.Meter.CreateHistogram(TrunkMetrics.ConsumerLag);
    private readonly Counter<long> _unstored = identity.Meter.CreateCounter(TrunkMetrics.UnstoredEvents);
    private volatile string? _notReady = "not consuming yet";
    private IConnection? _connection;

    /// <summary>The queue every call event's exchange is bound to.</summary>
    public string Queue => _prefix + CallHistoryExtensions.EventsQueue;

    /// <summary>MassTransit's endpoint for the deliveries this reader could not store: retried there, then <c>_error</c>.</summary>
    public string RetryQueue => Queue + CallHistoryExtensions.RetrySuffix;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult((_notReady ?? (_connection is { IsOpen: false } ? "the connection to RabbitMQ is recovering" : null)) is { } reason
            ? HealthCheckResult.Unhealthy($"CallHistory does not read {Queue}: {reason}")
            : HealthCheckResult.Healthy());

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new BrokerBackoff();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ConsumeAsync(stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is IOException or RabbitMQClientException)
            {
                _notReady = e.Message;
                LogBrokerAway(e, Queue, backoff.Next);
            }

            await backoff.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task ConsumeAsync(CancellationToken stoppingToken)
    {
        var factory = RabbitMqConnectionFactory.For(broker.Value);
        await using var connection = await factory.CreateConnectionAsync(identity.InstanceId + "-" + HealthCheckName, stoppingToken).ConfigureAwait(false);
        _connection = connection;
        await using var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
        await using var forwarding = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), stoppingToken).ConfigureAwait(false);
        await DeclareAsync(channel, stoppingToken).ConfigureAwait(false);
        await channel.BasicQosAsync(0, (ushort)settings.Value.EventsInFlight, global: false, stoppingToken).ConfigureAwait(false);

        var deliveries = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            deliveries.Writer.TryWrite(Receive(delivery));
            return Task.CompletedTask;
        };
        var acknowledging = AcknowledgeAsync(channel, forwarding, deliveries.Reader);
        var tag = await channel.BasicConsumeAsync(Queue, autoAck: false, consumer, stoppingToken).ConfigureAwait(false);
        _notReady = null;
        LogConsuming(Queue, settings.Value.EventsInFlight);

        // The acknowledging loop ends only when the reader stops; if it fails, the service stops with it (loudly: its
        // deliveries stay unacknowledged and come again to the next reader).
        await Task.WhenAny(acknowledging, Task.Delay(Timeout.Infinite, stoppingToken)).ConfigureAwait(false);
        _notReady = "stopping";
        if (acknowledging.IsFaulted)
        {
            await acknowledging.ConfigureAwait(false);
        }

        // Nothing more is handed over; what is in the writer is committed and acknowledged before the channel closes
        // (a delivery left unacknowledged is redelivered to the next reader and stored once).
        await channel.BasicCancelAsync(tag, noWait: false, CancellationToken.None).ConfigureAwait(false);
        deliveries.Writer.TryComplete();
        await acknowledging.ConfigureAwait(false);
    }

    /// <summary>The queue and its bindings as MassTransit declared them for its receive endpoint, and the retry queue.</summary>
    private async Task DeclareAsync(IChannel channel, CancellationToken cancellationToken)
    {
        // A test's prefixed queues go when their host stops.
        var autoDelete = _prefix.Length > 0;
        await channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.ExchangeDeclareAsync(Queue, ExchangeType.Fanout, durable: true, autoDelete, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueBindAsync(Queue, Queue, routingKey: "", cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueDeclareAsync(RetryQueue, durable: true, exclusive: false, autoDelete, cancellationToken: cancellationToken).ConfigureAwait(false);

        var host = new Uri(bus.Address, ".");
        foreach (var type in CallEventTypes.All)
        {
            var source = bus.Topology.PublishTopology.TryGetPublishAddress(type, host, out var address)
                ? new RabbitMqEndpointAddress(host, address)
                : throw new InvalidOperationException($"MassTransit has no publish address for {type.FullName}.");
            await channel.ExchangeDeclareAsync(source.Name, source.ExchangeType, source.Durable, source.AutoDelete, cancellationToken: cancellationToken).ConfigureAwait(false);
            await channel.ExchangeBindAsync(Queue, source.Name, routingKey: "", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the delivery and hands its event to the writer; called in delivery order, one at a time.</summary>
    private Delivery Receive(BasicDeliverEventArgs delivery)
    {
        // The client reuses the body's buffer after this handler: a copy is kept to forward it if it cannot be stored.
        var body = delivery.Body.ToArray();
        var properties = new BasicProperties(delivery.BasicProperties);
        try
        {
            var pending = CallEventEnvelope.Read(
                body,
                CallEventEnvelope.HeaderText(properties.Headers, CallEventBatch.TraceParentHeader)
                ?? CallEventEnvelope.HeaderText(properties.Headers, CallEventEnvelope.ActivityIdHeader),
                out var sentTime);
            if (sentTime is { } sent && !delivery.Redelivered)
            {
                var lag = Math.Max(0, (time.GetUtcNow().UtcDateTime - sent).TotalSeconds);
                _lag.Record(lag, new KeyValuePair<string, object?>("messaging.message_type", pending.Event.GetType().Name));
            }

            var span = StartSpan(pending);
            return new Delivery(delivery.DeliveryTag, body, properties, writer.AppendAsync(pending), pending, span);
        }
        catch (InvalidDataException e)
        {
            LogUnreadable(e, properties.MessageId, Queue);
            return new Delivery(delivery.DeliveryTag, body, properties, Task.FromException<bool>(e), null, null);
        }
    }

    /// <summary>A span in the publisher's trace, not made current: it ends when its event is committed.</summary>
    private Activity? StartSpan(PendingCallEvent pending)
    {
        var current = Activity.Current;
        ActivityContext.TryParse(pending.TraceParent, null, out var parent);
        var span = identity.ActivitySource.StartActivity(SpanName, ActivityKind.Consumer, parent);
        Activity.Current = current;
        // No trunk.call_id: an event published outside its call's trace would put a span of the call in another trace.
        span?.SetTag("messaging.message.id", pending.MessageId);
        span?.SetTag("trunk.event_type", pending.Event.GetType().Name);
        return span;
    }

    /// <summary>
    /// Acknowledges deliveries in queue order once each is stored (or found stored): after the oldest one is done, every
    /// done one behind it goes with it in one multiple-ack. A failed one is forwarded to the retry queue first; one the
    /// broker refuses there goes back to the queue after a wait that doubles while refusals go on (up to 30 s), so that
    /// a full or missing retry queue does not turn the delivery round in a loop.
    /// </summary>
    private async Task AcknowledgeAsync(IChannel channel, IChannel forwarding, ChannelReader<Delivery> deliveries)
    {
        var refused = new BrokerBackoff();
        while (await deliveries.WaitToReadAsync().ConfigureAwait(false))
        {
            ulong? done = null;
            while (deliveries.TryPeek(out var delivery))
            {
                if (!delivery.Outcome.IsCompleted)
                {
                    if (done is not null)
                    {
                        break;
                    }

                    await ((Task)delivery.Outcome).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }

                deliveries.TryRead(out _);
                if (delivery.Outcome.IsCompletedSuccessfully)
                {
                    Recorded(delivery);
                    done = delivery.Tag;
                    continue;
                }

                if (done is { } upTo)
                {
                    await AckAsync(channel, upTo, multiple: true).ConfigureAwait(false);
                    done = null;
                }

                // Settled one way or the other before any later delivery is acknowledged: a multiple-ack would take it too.
                if (await ForwardAsync(forwarding, delivery, refused.Next).ConfigureAwait(false))
                {
                    refused = new BrokerBackoff();
                    await AckAsync(channel, delivery.Tag, multiple: false).ConfigureAwait(false);
                }
                else
                {
                    await refused.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                    await RequeueAsync(channel, delivery.Tag).ConfigureAwait(false);
                }
            }

            if (done is { } last)
            {
                await AckAsync(channel, last, multiple: true).ConfigureAwait(false);
            }
        }
    }

    private void Recorded(Delivery delivery)
    {
        if (!delivery.Outcome.Result && delivery.Pending is { } pending)
        {
            LogDuplicate(pending.CallId, pending.Event.GetType().Name, pending.MessageId);
        }

        delivery.Span?.Stop();
    }

    /// <summary>Sends the delivery as received to the retry queue; true once the broker confirmed it.</summary>
    private async Task<bool> ForwardAsync(IChannel forwarding, Delivery delivery, TimeSpan requeueIn)
    {
        var reason = delivery.Outcome.Exception?.InnerException;
        delivery.Span?.SetStatus(ActivityStatusCode.Error, reason?.Message);
        delivery.Span?.Stop();
        try
        {
            await forwarding.BasicPublishAsync("", RetryQueue, mandatory: true, delivery.Properties, delivery.Body).ConfigureAwait(false);
            LogForwarded(delivery.Properties.MessageId, RetryQueue, reason?.Message);
            _unstored.Add(1, new KeyValuePair<string, object?>("outcome", "forwarded"));
            return true;
        }
        catch (Exception e) when (e is RabbitMQClientException or IOException)
        {
            LogForwardFailed(e, delivery.Properties.MessageId, RetryQueue, requeueIn);
            _unstored.Add(1, new KeyValuePair<string, object?>("outcome", "refused"));
            return false;
        }
    }

    /// <summary>Gives a delivery that could not be forwarded back to the queue, to be read again.</summary>
    private async Task RequeueAsync(IChannel channel, ulong tag)
    {
        try
        {
            await channel.BasicNackAsync(tag, multiple: false, requeue: true).ConfigureAwait(false);
        }
        catch (AlreadyClosedException e)
        {
            LogAckLost(e, tag);
        }
    }

    private async Task AckAsync(IChannel channel, ulong tag, bool multiple)
    {
        try
        {
            await channel.BasicAckAsync(tag, multiple).ConfigureAwait(false);
        }
        catch (AlreadyClosedException e)
        {
            // The deliveries come again on the recovered channel and are found stored.
            LogAckLost(e, tag);
        }
    }

    /// <summary>One delivery between its hand-over to the writer and its acknowledgement.</summary>
    private sealed record Delivery(ulong Tag, byte[] Body, BasicProperties Properties, Task<bool> Outcome, PendingCallEvent? Pending, Activity? Span);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading {Queue} with up to {InFlight} events in flight")]
    private partial void LogConsuming(string queue, int inFlight);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read {Queue} on RabbitMQ; trying again in {Wait}")]
    private partial void LogBrokerAway(Exception exception, string queue, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} in {Queue} is not a call event's MassTransit envelope")]
    private partial void LogUnreadable(Exception exception, string? messageId, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} was not stored ({Reason}): forwarded to {RetryQueue}, where the bus retries it, then moves it to its error queue")]
    private partial void LogForwarded(string? messageId, string retryQueue, string? reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not forward message {MessageId} to {RetryQueue}; it goes back to the queue in {Wait} and comes again")]
    private partial void LogForwardFailed(Exception exception, string? messageId, string retryQueue, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not settle delivery {Tag}: the channel closed; the unacknowledged messages come again and are stored once")]
    private partial void LogAckLost(Exception exception, ulong tag);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored a redelivered {EventType} of call {CallId} (message {MessageId})")]
    private partial void LogDuplicate(Guid callId, string eventType, Guid messageId);
}
