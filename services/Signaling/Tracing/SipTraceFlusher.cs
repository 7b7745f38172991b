using Microsoft.Extensions.Hosting;
using Trunk.Contracts.Calls;
using Trunk.ServiceDefaults;
using Trunk.Signaling.Calls;
using Trunk.Signaling.Events;

namespace Trunk.Signaling.Tracing;

/// <summary>Once a second, publishes each live call's new SIP messages as one <see cref="SipMessagesTraced"/> batch.</summary>
internal sealed class SipTraceFlusher(CallRegistry calls, CallEventPublisher events, ServiceIdentity identity, TimeProvider time)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public void Flush(Call call)
    {
        var messages = call.Trace.Drain();
        if (messages.Count > 0)
        {
            events.Publish(new SipMessagesTraced(call.Id, time.GetUtcNow(), identity.InstanceId, messages));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                foreach (var call in calls.All)
                {
                    Flush(call);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
