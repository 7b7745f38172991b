using Microsoft.Extensions.Hosting;
using Trunk.Contracts.Calls;
using Trunk.ServiceDefaults;
using Trunk.Signaling.Calls;
using Trunk.Signaling.Events;

namespace Trunk.Signaling.Tracing;

/// <summary>
/// Publishes a call's SIP messages as <see cref="SipMessagesTraced"/> batches (<see cref="SipTraceBatch"/>): all of them when the call ends, and, checked
/// once a second, those of a live call whose oldest has waited <see cref="MaxWait"/>. A call shorter than that is one
/// batch: a publish per call less than a flush of every call at each tick, which split even a one-second call in two
/// (bench/results/b2bua.md).
/// </summary>
internal sealed class SipTraceFlusher(CallRegistry calls, CallEventPublisher events, ServiceIdentity identity, TimeProvider time)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>How long a live call's message waits at most before it is published (plus up to <see cref="Interval"/>).</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(2);

    /// <summary>Publishes every message of the call still waiting (at its end).</summary>
    public void Flush(Call call) => Publish(call, call.Trace.Drain());

    private void Publish(Call call, TracedMessages? messages)
    {
        if (messages is not null)
        {
            events.Publish(new SipTraceBatch(call.Id, time.GetUtcNow(), identity.InstanceId, messages));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var cutoff = time.GetUtcNow() - MaxWait;
                foreach (var call in calls.All)
                {
                    Publish(call, call.Trace.Drain(cutoff));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
