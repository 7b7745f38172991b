using System.Diagnostics;
using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Trunk.Contracts;
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
/// </remarks>
internal sealed partial class CallEventPublisher : BackgroundService
{
    public const int Capacity = 100_000;

    /// <summary>Publishes awaiting their confirm at once.</summary>
    public const int Lanes = 16;

    /// <summary>How long a stopping instance keeps publishing the events it holds (a call's last ones among them).</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    private readonly PublishEndpoints _endpoints;
    private readonly SignalingTelemetry _telemetry;
    private readonly ILogger<CallEventPublisher> _logger;
    private readonly Channel<(ICallMessage Message, ActivityContext PublishedIn)>[] _lanes;
    private volatile bool _stopping;

    public CallEventPublisher(IBus bus, SignalingTelemetry telemetry, ILogger<CallEventPublisher> logger)
    {
        _endpoints = new PublishEndpoints(bus);
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
            LogDroppedStopping(message.GetType().Name, message.CallId);
        }
        else
        {
            LogDropped(message.GetType().Name, message.CallId);
        }

        return false;
    }

    /// <summary>The lane of a call: every event of the call goes through it, in order.</summary>
    private static int LaneIndex(Guid callId) => (int)((uint)callId.GetHashCode() % Lanes);

    private Channel<(ICallMessage Message, ActivityContext PublishedIn)> LaneOf(Guid callId) => _lanes[LaneIndex(callId)];

    /// <summary>
    /// Runs the lanes until the host stops. A publish is not cancelled (MassTransit would link a token source, register
    /// on it and wait for either, per publish). At the stop the lanes take no more messages but publish the ones they
    /// hold, for up to <see cref="DrainTimeout"/> (the bus stops after this service); what is left then (the broker is
    /// away) is counted in a log line.
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
            // A publish in flight is not waited for: while the broker is away it ends only when the bus stops, after this.
            await abandon.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Publishes the lane's messages in turn, each retried until the broker confirms it. The retries are in this loop, not
    /// in a method of their own: a publish then allocates no state machine of its own.
    /// </summary>
    private async Task PublishLaneAsync(ChannelReader<(ICallMessage Message, ActivityContext PublishedIn)> lane, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (message, publishedIn) in lane.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                using var activity = _telemetry.StartPublish(message, publishedIn);
                var headers = new PublishHeaders(activity);
                while (true)
                {
                    try
                    {
                        using (SignalingTelemetry.WithoutSendSpan(activity))
                        {
                            await _endpoints.Publish(message, headers).ConfigureAwait(false);
                        }

                        break;
                    }
                    catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                    {
                        LogRetry(exception, message.GetType().Name, message.CallId);
                        await Task.Delay(RetryDelay, stoppingToken).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the lane's channel was cancelled, or the bus stopped under a publish in flight.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventType} of call {CallId} dropped: the buffer is full")]
    private partial void LogDropped(string eventType, Guid callId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventType} of call {CallId} dropped: the instance is stopping")]
    private partial void LogDroppedStopping(string eventType, Guid callId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stopping with {Count} events not published after {Wait}: RabbitMQ did not take them")]
    private partial void LogAbandoned(int count, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing {EventType} of call {CallId} failed; retrying")]
    private partial void LogRetry(Exception exception, string eventType, Guid callId);
}
