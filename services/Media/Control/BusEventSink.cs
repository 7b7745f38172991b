using System.Diagnostics;
using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.Logging;
using Trunk.Contracts;
using Trunk.Media.Relay;
using Trunk.ServiceDefaults;

namespace Trunk.Media.Control;

/// <summary>
/// Hands the relay's facts to the bus from a background task, so that the relay's threads never wait for RabbitMQ.
/// The buffer is bounded: should the broker stay away that long, the oldest facts are dropped and counted in the log.
/// Each fact is published under a <c>media event</c> span in its call's trace.
/// </summary>
internal sealed partial class BusEventSink(IServiceProvider services, ServiceIdentity identity, ILogger<BusEventSink> logger) : BackgroundService, IMediaEventSink
{
    private readonly Channel<(ICallEvent Event, ActivityContext Trace)> _pending = Channel.CreateBounded<(ICallEvent, ActivityContext)>(
        new BoundedChannelOptions(50_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void Publish(ICallEvent callEvent, ActivityContext trace)
    {
        if (!_pending.Writer.TryWrite((callEvent, trace)))
        {
            LogDropped(logger, callEvent.GetType().Name, callEvent.CallId);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var bus = services.GetRequiredService<IBus>();
        await foreach (var (callEvent, trace) in _pending.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            using var activity = identity.ActivitySource.StartActivity("media event", ActivityKind.Internal, trace);
            activity?.SetTag("trunk.call_id", callEvent.CallId);
            activity?.SetTag("media.event", callEvent.GetType().Name);
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
