using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.Logging;
using Trunk.Contracts;
using Trunk.Media.Relay;

namespace Trunk.Media.Control;

/// <summary>
/// Hands the relay's facts to the bus from a background task, so that the relay's threads never wait for RabbitMQ.
/// The buffer is bounded: should the broker stay away that long, the oldest facts are dropped and counted in the log.
/// </summary>
internal sealed partial class BusEventSink(IServiceProvider services, ILogger<BusEventSink> logger) : BackgroundService, IMediaEventSink
{
    private readonly Channel<ICallEvent> _pending = Channel.CreateBounded<ICallEvent>(
        new BoundedChannelOptions(50_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void Publish(ICallEvent callEvent)
    {
        if (!_pending.Writer.TryWrite(callEvent))
        {
            LogDropped(logger, callEvent.GetType().Name, callEvent.CallId);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var bus = services.GetRequiredService<IBus>();
        await foreach (var callEvent in _pending.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await bus.Publish(callEvent, callEvent.GetType(), stoppingToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogPublishFailed(logger, error, callEvent.GetType().Name, callEvent.CallId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Event} of call {CallId}: the publish buffer is full")]
    private static partial void LogDropped(ILogger logger, string @event, Guid callId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not publish {Event} of call {CallId}")]
    private static partial void LogPublishFailed(ILogger logger, Exception error, string @event, Guid callId);
}
