using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Trunk.Signaling.Calls;

namespace Trunk.Signaling.Sip;

/// <summary>
/// Starts listening for SIP with the host. At the stop it drains (<see cref="SipDrain"/>: new calls refused, the calls up
/// go on for up to <c>Sip:DrainTimeout</c>), then ends the calls still up (BYE to every leg, their events published),
/// for up to <see cref="EndCallsTimeout"/>, so that no call is left without its end in the history and the transfer's
/// money is settled; it is the first service to stop, so the bus and the publisher still run.
/// </summary>
internal sealed partial class SipListener(
    SipEndpoint sip,
    RequestRouter router,
    SipDrain drain,
    CallRegistry calls,
    CallTerminator terminator,
    ILogger<SipListener> logger) : IHostedService
{
    /// <summary>How long a stopping instance waits for its calls' BYEs.</summary>
    public static readonly TimeSpan EndCallsTimeout = TimeSpan.FromSeconds(3);

    /// <summary>The reason the legs of a call ended by the stop are given.</summary>
    public const string StopReason = "Service stopping";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        sip.Stack.OnRequest = router.RouteAsync;
        sip.Stack.Start();
        LogListening(string.Join(", ", sip.Stack.Transport.UdpEndPoints), string.Join(", ", sip.Stack.Transport.TcpEndPoints), sip.AdvertisedHost);
        return Task.CompletedTask;
    }

    /// <summary>Ends the calls still up; the stack closes its sockets when the container disposes <see cref="SipEndpoint"/>, after the bus stopped.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        LogDraining(calls.Count, drain.Timeout);
        var started = Stopwatch.GetTimestamp();
        if (await drain.DrainAsync(cancellationToken).ConfigureAwait(false))
        {
            LogDrained(Stopwatch.GetElapsedTime(started));
            return;
        }

        var live = calls.All.ToList();
        LogEndingCalls(live.Count);
        var ending = Task.WhenAll(live.Select(call => terminator.EndAsync(call, null, 200, StopReason, HangupCauses.ServiceStopping)));
        if (await Task.WhenAny(ending, Task.Delay(EndCallsTimeout, cancellationToken)).ConfigureAwait(false) != ending)
        {
            LogCallsLeft(calls.Count, EndCallsTimeout);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SIP listening on udp {Udp} and tcp {Tcp}, advertised as {Advertised}")]
    private partial void LogListening(string udp, string tcp, string advertised);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Stopping: new INVITEs and OPTIONS get 503 from now on; waiting up to {DrainTimeout} (Sip:DrainTimeout) for the {Count} calls up to end")]
    private partial void LogDraining(int count, TimeSpan drainTimeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: no call up after {Elapsed}")]
    private partial void LogDrained(TimeSpan elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping: ending {Count} calls still up after the drain (BYE to each leg)")]
    private partial void LogEndingCalls(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping with {Count} calls not ended after {Wait}")]
    private partial void LogCallsLeft(int count, TimeSpan wait);
}
