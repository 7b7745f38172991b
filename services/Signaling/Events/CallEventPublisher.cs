using System.Diagnostics;
using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using Trunk.Contracts;
using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Messaging;
using Trunk.ServiceDefaults.Settings;
using Trunk.Signaling.Telemetry;

namespace Trunk.Signaling.Events;

/// <summary>
/// Publishes call events from bounded buffers, so that SIP handling never waits on RabbitMQ; while the broker is away
/// events wait and are retried, and beyond <see cref="Capacity"/> new ones are dropped and logged (ARCHITECTURE.md,
/// Delivery). Each event keeps the trace context it was published in, so it joins its call's trace. Besides events a
/// lane carries the one request Signaling publishes in a call's order: ReserveFunds after the ReferReceived of a 202
/// (<see cref="Transfers.ReferHandler"/>).
/// </summary>
/// <remarks>
/// Each publish waits for the broker's confirm, and one at a time they capped the instance below the events of 300 calls
/// a second: the backlog held every waiting event (and its SIP trace text) long enough to reach generation 2
/// (bench/results/b2bua.md). The events go through <see cref="Lanes"/> lanes, each publishing in turn; a call's events
/// all take the lane of its id, so they still reach the broker in the order they were published.
/// <para>
/// The events are published with RabbitMQ.Client (<see cref="BrokerChannel"/>), not through MassTransit, whose send
/// machinery allocated ~13 KB a publish, half of all a call allocates (bench/results/b2bua.md): the same bytes go to the
/// same exchange with the same routing key, as MassTransit would publish them (<see cref="PublishedType"/>,
/// <see cref="EnvelopeWriter"/>): persistent, confirmed, one message id for every try (a try the broker stored but whose
/// confirm was lost is then the same message as the retry, and consumers that deduplicate by message id store it once),
/// and the publish span as the trace context consumers continue, in <c>MT-Activity-Id</c>.
/// </para>
/// </remarks>
internal sealed partial class CallEventPublisher : BackgroundService
{
    public const int Capacity = 100_000;

    /// <summary>Publishes awaiting their confirm at once.</summary>
    public const int Lanes = 16;

    /// <summary>How long a stopping instance keeps publishing the events it holds (a call's last ones among them).</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>A message that keeps failing is logged at its first failure and then every this many.</summary>
    private const int LogEveryFailures = 20;

    private readonly PublishedType.Cache _types;
    private readonly Uri _sourceAddress;
    private readonly BrokerChannel _broker;
    private readonly SignalingTelemetry _telemetry;
    private readonly ILogger<CallEventPublisher> _logger;
    private readonly Channel<(ICallMessage Message, ActivityContext PublishedIn)>[] _lanes;
    private volatile bool _stopping;

    public CallEventPublisher(
        IBus bus, IOptions<RabbitMqSettings> broker, ServiceIdentity identity, SignalingTelemetry telemetry, ILogger<CallEventPublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(identity);
        _types = new PublishedType.Cache(bus);
        _sourceAddress = bus.Address;
        _broker = new BrokerChannel(broker.Value, identity.InstanceId + "-events");
        _telemetry = telemetry;
        _logger = logger;
        _lanes = new Channel<(ICallMessage, ActivityContext)>[Lanes];
        for (var i = 0; i < Lanes; i++)
        {
            _lanes[i] = Channel.CreateBounded<(ICallMessage, ActivityContext)>(new BoundedChannelOptions(Capacity / Lanes)
            {
                FullMode = BoundedChannelFullMode.Wait,
                SingleReader = true,
            });
        }
    }

    /// <summary>Queues the message on its call's lane; false (and a log line) when the buffer is full and it was dropped.</summary>
    public bool Publish(ICallMessage message)
    {
        if (LaneOf(message.CallId).Writer.TryWrite((message, Activity.Current?.Context ?? default)))
        {
            return true;
        }

        if (_stopping)
        {
            LogDroppedStopping(PublishedAs(message).Name, message.CallId);
        }
        else
        {
            LogDropped(PublishedAs(message).Name, message.CallId);
        }

        return false;
    }

    /// <summary>The contract a message is published as: its own type unless it writes itself as another.</summary>
    private static Type PublishedAs(ICallMessage message) => message is ISelfWritingMessage own ? own.PublishedAs : message.GetType();

    /// <summary>The lane of a call: every event of the call goes through it, in order.</summary>
    private static int LaneIndex(Guid callId) => (int)((uint)callId.GetHashCode() % Lanes);

    private Channel<(ICallMessage Message, ActivityContext PublishedIn)> LaneOf(Guid callId) => _lanes[LaneIndex(callId)];

    /// <summary>
    /// Runs the lanes until the host stops. At the stop the lanes take no more messages but publish the ones they hold,
    /// for up to <see cref="DrainTimeout"/>; what is left then (the broker is away) is counted in a log line, and the
    /// connection closes.
    /// </summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var abandon = new CancellationTokenSource();
        var lanes = Task.WhenAll(_lanes.Select(lane => PublishLaneAsync(lane.Reader, abandon.Token)));
        await Task.WhenAny(lanes, Task.Delay(Timeout.Infinite, stoppingToken)).ConfigureAwait(false);
        _stopping = true;
        foreach (var lane in _lanes)
        {
            lane.Writer.TryComplete();
        }

        if (await Task.WhenAny(lanes, Task.Delay(DrainTimeout, CancellationToken.None)).ConfigureAwait(false) != lanes)
        {
            LogAbandoned(_lanes.Sum(lane => lane.Reader.Count), DrainTimeout);
            await abandon.CancelAsync().ConfigureAwait(false);
            await lanes.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await _broker.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Publishes the lane's messages in turn, each retried until the broker confirms it. The retries are in this loop, not
    /// in a method of their own: a publish then allocates no state machine of its own. The lane's envelope buffer and
    /// properties serve each of its messages in turn.
    /// </summary>
    private async Task PublishLaneAsync(ChannelReader<(ICallMessage Message, ActivityContext PublishedIn)> lane, CancellationToken stoppingToken)
    {
        var envelope = new EnvelopeWriter(_sourceAddress);
        var headers = new Dictionary<string, object?>(1);
        var properties = new BasicProperties
        {
            ContentType = EnvelopeWriter.ContentType,
            DeliveryMode = DeliveryModes.Persistent,
            Headers = headers,
        };
        try
        {
            await foreach (var (message, publishedIn) in lane.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                var type = _types.Of(PublishedAs(message));
                using var activity = _telemetry.StartPublish(message.CallId, type.Type, publishedIn);
                var messageId = NewId.NextGuid();
                var traceParent = activity?.Id;
                var body = envelope.Write(type, message, messageId, NewId.NextGuid(), DateTime.UtcNow, traceParent);
                properties.MessageId = messageId.ToString();
                headers.Clear();
                if (traceParent is not null)
                {
                    headers[EnvelopeWriter.ActivityIdHeader] = traceParent;
                }

                var routingKey = CallRoutingKey.Of(message.CallId);
                for (var failures = 0; ; failures++)
                {
                    try
                    {
                        await _broker.PublishAsync(type, routingKey, properties, body, stoppingToken).ConfigureAwait(false);
                        break;
                    }
                    catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                    {
                        // The first failure and every 20th (10 s) after it: an outage writes a line per lane every 10 s.
                        if (failures % LogEveryFailures == 0)
                        {
                            LogRetry(exception, type.Type.Name, message.CallId, failures + 1);
                        }

                        await Task.Delay(RetryDelay, stoppingToken).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the lane's channel was cancelled, or a publish in flight was abandoned.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventType} of call {CallId} dropped: the buffer is full")]
    private partial void LogDropped(string eventType, Guid callId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventType} of call {CallId} dropped: the instance is stopping")]
    private partial void LogDroppedStopping(string eventType, Guid callId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stopping with {Count} events not published after {Wait}: RabbitMQ did not take them")]
    private partial void LogAbandoned(int count, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing {EventType} of call {CallId} failed ({Failures} times so far); retrying every 500 ms")]
    private partial void LogRetry(Exception exception, string eventType, Guid callId, int failures);
}
