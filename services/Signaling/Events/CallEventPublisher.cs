using System.Diagnostics;
using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Trunk.Contracts;
using Trunk.Signaling.Telemetry;

namespace Trunk.Signaling.Events;

/// <summary>
/// Publishes call events in order from a bounded buffer, so that SIP handling never waits on RabbitMQ; while the
/// broker is away events wait and are retried, and beyond <see cref="Capacity"/> new ones are dropped and logged
/// (ARCHITECTURE.md, Delivery). Each event keeps the trace context it was published in, so it joins its call's trace.
/// </summary>
internal sealed partial class CallEventPublisher(IBus bus, SignalingTelemetry telemetry, ILogger<CallEventPublisher> logger) : BackgroundService
{
    public const int Capacity = 100_000;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    private readonly Channel<(ICallEvent Message, ActivityContext PublishedIn)> _buffer = Channel.CreateBounded<(ICallEvent, ActivityContext)>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    public void Publish(ICallEvent message)
    {
        if (!_buffer.Writer.TryWrite((message, Activity.Current?.Context ?? default)))
        {
            LogDropped(message.GetType().Name, message.CallId);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (message, publishedIn) in _buffer.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                using var activity = telemetry.StartPublish(message, publishedIn);
                await PublishWithRetryAsync(message, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>
    /// One message id for every try: a try the broker stored but whose confirm was lost (the connection dropped) is then
    /// the same message as the retry, and consumers that deduplicate by message id store it once.
    /// </summary>
    private async Task PublishWithRetryAsync(ICallEvent message, CancellationToken stoppingToken)
    {
        var messageId = NewId.NextGuid();
        var withId = Pipe.Execute<PublishContext>(context => context.MessageId = messageId);
        while (true)
        {
            try
            {
                await bus.Publish(message, message.GetType(), withId, stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogRetry(exception, message.GetType().Name, message.CallId);
                await Task.Delay(RetryDelay, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventType} of call {CallId} dropped: the buffer is full")]
    private partial void LogDropped(string eventType, Guid callId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing {EventType} of call {CallId} failed; retrying")]
    private partial void LogRetry(Exception exception, string eventType, Guid callId);
}
