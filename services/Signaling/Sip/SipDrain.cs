using System.Globalization;
using Microsoft.Extensions.Options;
using Trunk.Contracts;
using Trunk.ServiceDefaults.Hosting;
using Trunk.Signaling.Calls;
using Trunk.Signaling.Settings;
using Trunk.Sip.Messages;
using Trunk.Sip.Transactions;

namespace Trunk.Signaling.Sip;

/// <summary>
/// A stopping instance drains: from the stop on, new INVITEs and OPTIONS get 503 with Retry-After (a carrier's SBC
/// or a PBX then routes to another instance, and an OPTIONS probe marks this one down), while the calls already up go
/// on, in-dialog requests and transfers included, until they end or <see cref="SipSettings.DrainTimeout"/> passes.
/// </summary>
internal sealed class SipDrain(SipEndpoint sip, CallRegistry calls, IOptions<SipSettings> settings, TimeProvider time)
{
    /// <summary>The reason phrase of the 503 a draining instance answers.</summary>
    public const string Reason = "Service Stopping";

    private long _deadline = long.MaxValue;

    /// <summary>The longest the calls up may go on once the drain began (<see cref="SipSettings.DrainTimeout"/>).</summary>
    public TimeSpan Timeout { get; } = settings.Value.DrainTimeout;

    public bool Draining => Interlocked.Read(ref _deadline) != long.MaxValue;

    /// <summary>Refuses new calls from now on and waits until the calls up have ended or the drain timeout passed; true when none is left.</summary>
    public Task<bool> DrainAsync(CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + Timeout;
        Interlocked.Exchange(ref _deadline, deadline.UtcTicks);
        return DrainWait.UntilAsync(() => calls.Count == 0, deadline, time, cancellationToken);
    }

    /// <summary>Answers a request that would start something new (a call, a probe) 503, with Retry-After of the time left to drain.</summary>
    public void Refuse(IncomingRequest request)
    {
        var left = new DateTimeOffset(Interlocked.Read(ref _deadline), TimeSpan.Zero) - time.GetUtcNow();
        var seconds = Math.Max(InboundCallHandler.RetryAfterSeconds, (int)Math.Ceiling(left.TotalSeconds));
        sip.Respond(null, LegSide.Caller, request, 503, Reason, default, null,
            new SipHeader(SipHeaderNames.RetryAfter, seconds.ToString(CultureInfo.InvariantCulture)));
    }
}
