using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Trunk.ServiceDefaults.Hosting;

namespace Trunk.Media.Control;

/// <summary>
/// Reads the shared <c>media</c> queue (<see cref="AllocateMediaConsumer"/>) through an endpoint of its own, so that a
/// stop can end it alone. A stopping instance drains: it stops reading the shared queue at once, so that the other
/// instances take the new calls' allocations (what it had fetched and not begun goes back to the queue, unanswered),
/// while its instance queue and the relay go on for the calls anchored here until their legs are released or
/// <see cref="MediaSettings.DrainTimeout"/> passes; the legs still anchored then are released, their statistics
/// published. It is the last service registered, so the first to stop: the bus and the relay still run.
/// </summary>
internal sealed partial class MediaDrain(
    IReceiveEndpointConnector connector,
    MediaCalls calls,
    BusEventSink events,
    IOptions<MediaSettings> settings,
    TimeProvider time,
    ILogger<MediaDrain> logger) : IHostedService
{
    /// <summary>The reason the legs still anchored at the end of the drain are released with.</summary>
    public const string StopReason = "shutdown";

    /// <summary>How long the released legs' statistics may take to reach the bus before it stops.</summary>
    public static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(3);

    private readonly string _prefix = settings.Value.QueuePrefix ?? "";
    private readonly TimeSpan _timeout = settings.Value.DrainTimeout;
    private HostReceiveEndpointHandle? _sharedQueue;

    /// <summary>Connects the shared queue without waiting for the broker: while it is away the bus reports not ready, as it does for every endpoint.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _sharedQueue = connector.ConnectReceiveEndpoint(_prefix + "media", (context, endpoint) =>
        {
            // A test's shared queue (with a prefix) is bound to nothing and goes away with its last reader.
            if (_prefix.Length > 0)
            {
                endpoint.ConfigureConsumeTopology = false;
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.AutoDelete = true;
                }
            }

            endpoint.ConfigureConsumer<AllocateMediaConsumer>(context);
        });
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (_sharedQueue is { } sharedQueue)
        {
            // Stops consuming, lets the allocations under way finish, and returns the prefetched ones to the queue.
            await sharedQueue.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        // Said once the queue is left, with the calls the allocations under way may have added.
        LogDraining(calls.AnchoredCount, _timeout);
        if (await WaitForReleasesAsync(cancellationToken).ConfigureAwait(false))
        {
            LogDrained(Stopwatch.GetElapsedTime(started));
            return;
        }

        LogReleased(calls.ReleaseAll(StopReason), _timeout);
        if (!await events.FlushAsync(FlushTimeout, cancellationToken).ConfigureAwait(false))
        {
            LogUnpublished(FlushTimeout);
        }
    }

    /// <summary>Waits until no leg is anchored or the drain timeout passed; true when none is left.</summary>
    private Task<bool> WaitForReleasesAsync(CancellationToken cancellationToken) =>
        DrainWait.UntilAsync(() => calls.AnchoredCount == 0, time.GetUtcNow() + _timeout, time, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Stopping: the shared media queue is left to the other instances; relaying the {Count} calls anchored here until their legs are released, for up to {DrainTimeout} (Media:DrainTimeout)")]
    private partial void LogDraining(int count, TimeSpan drainTimeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: no call anchored after {Elapsed}")]
    private partial void LogDrained(TimeSpan elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping: released the legs of {Count} calls still anchored after the drain ({DrainTimeout})")]
    private partial void LogReleased(int count, TimeSpan drainTimeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping with media statistics not published after {Wait}")]
    private partial void LogUnpublished(TimeSpan wait);
}
