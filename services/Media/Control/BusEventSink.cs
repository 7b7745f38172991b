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
/// Each fact is published under a <c>media event</c> span in its call's trace. A stop that releases legs waits for their
/// facts (<see cref="FlushAsync"/>) before the bus stops.
/// </summary>
internal sealed partial class BusEventSink(IServiceProvider services, ServiceIdentity identity, ILogger<BusEventSink> logger) : BackgroundService, IMediaEventSink
{
    private static readonly TimeSpan FlushPoll = TimeSpan.FromMilliseconds(20);

    private readonly Channel<(ICallEvent Event, ActivityContext Trace)> _pending = Channel.CreateBounded<(ICallEvent, ActivityContext)>(
        new BoundedChannelOptions(50_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private int _inFlight;

    /// <summary>Facts buffered or being published; the buffer is read first, as a fact leaves it only once counted in flight.</summary>
    private int Unpublished => _pending.Reader.Count + Volatile.Read(ref _inFlight);

    public void Publish(ICallEvent callEvent, ActivityContext trace)
    {
        if (!_pending.Writer.TryWrite((callEvent, trace)))
        {
            LogDropped(logger, callEvent.GetType().Name, callEvent.CallId);
        }
    }

    /// <summary>
    /// Waits until every fact handed over so far has been published (or failed to), for up to <paramref name="limit"/> or
    /// until <paramref name="cancellationToken"/> (the host's stop running out of time) fires; true when none is left. A stop
    /// cut short gets false, so that its caller says facts were left, rather than an exception.
    /// </summary>
    public async Task<bool> FlushAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (Unpublished > 0 && Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(FlushPoll, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return Unpublished == 0;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var bus = services.GetRequiredService<IBus>();
        var reader = _pending.Reader;
        while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
        {
            // Counted before it leaves the buffer, so that a fact is always either buffered or in flight (FlushAsync).
            Interlocked.Increment(ref _inFlight);
            try
            {
                if (reader.TryRead(out var pending))
                {
                    await PublishAsync(bus, pending.Event, pending.Trace, stoppingToken).ConfigureAwait(false);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    private async Task PublishAsync(IBus bus, ICallEvent callEvent, ActivityContext trace, CancellationToken stoppingToken)
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Event} of call {CallId}: the publish buffer is full")]
    private static partial void LogDropped(ILogger logger, string @event, Guid callId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not publish {Event} of call {CallId}")]
    private static partial void LogPublishFailed(ILogger logger, Exception error, string @event, Guid callId);
}
