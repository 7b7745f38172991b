using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.ServiceDefaults;
using Trunk.Signaling.Events;
using Trunk.Signaling.Rules;
using Trunk.Signaling.Settings;
using Trunk.Signaling.Sip;
using Trunk.Signaling.Telemetry;
using Trunk.Signaling.Tracing;
using Trunk.Signaling.Trunks;
using Trunk.Sip.Messages;
using Trunk.Sip.Transactions;

namespace Trunk.Signaling.Calls;

/// <summary>
/// A new INVITE from the carrier side (100 Trying already sent by the stack, §17.2.1): rate limits per source and
/// per trunk (503 with Retry-After), the DID's trunk (404 when none), then the endpoint leg.
/// </summary>
internal sealed partial class InboundCallHandler(
    SipEndpoint sip,
    TrunkDirectory trunks,
    TransferRulesDirectory transferRules,
    RateLimiter limits,
    CallRegistry calls,
    EndpointDialer dialer,
    CallEventPublisher events,
    CommandQueue queue,
    ServiceIdentity identity,
    SignalingTelemetry telemetry,
    TraceChunkPool traceChunks,
    IOptions<SipSettings> settings,
    TimeProvider time,
    ILogger<InboundCallHandler> logger)
{
    public const int RetryAfterSeconds = 1;

    /// <summary>The Retry-After of a call refused for now (rate limits, Policy or Media unavailable).</summary>
    public static readonly SipHeader RetryAfter = new(SipHeaderNames.RetryAfter, RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async Task HandleAsync(IncomingRequest request)
    {
        var invite = request.Request;
        var callId = Guid.NewGuid();
        var source = request.Peer.Remote.Address.ToString();
        if (!limits.TryAcquire("source:" + source, settings.Value.CallsPerSecondPerSource))
        {
            LogRateLimited(callId, invite.CallId ?? string.Empty, source);
            RespondBusy(request);
            return;
        }

        if (PhoneNumbers.Normalise(invite.RequestUri.User) is not { } did)
        {
            sip.Respond(null, LegSide.Caller, request, 404);
            return;
        }

        var lookup = await trunks.FindAsync(callId, did).ConfigureAwait(false);
        if (lookup.Trunk is not { } trunk)
        {
            LogNoTrunk(callId, invite.CallId ?? string.Empty, did, lookup.Unavailable);
            if (lookup.Unavailable)
            {
                RespondBusy(request);
            }
            else
            {
                sip.Respond(null, LegSide.Caller, request, 404);
            }

            return;
        }

        var perTrunk = Math.Min(settings.Value.CallsPerSecondPerTrunk, trunk.CallsPerSecond > 0 ? trunk.CallsPerSecond : int.MaxValue);
        if (!limits.TryAcquire("trunk:" + trunk.TrunkId.ToString("N"), perTrunk))
        {
            LogRateLimited(callId, invite.CallId ?? string.Empty, trunk.Domain);
            RespondBusy(request);
            return;
        }

        transferRules.Refresh(callId, trunk.AccountId);
        var call = new Call(callId, trunk, request, PhoneNumbers.Caller(invite), did, time.GetUtcNow(), traceChunks);
        calls.Add(call);
        telemetry.CallStarted(call);
        sip.Received(call, LegSide.Caller, invite, request.Peer);
        events.Publish(new CallReceived(call.Id, call.ReceivedAt, identity.InstanceId, queue.Name, call.SipCallId, call.CallerNumber, did,
            trunk.TrunkId, trunk.AccountId, request.Peer.Remote.ToString()));
        LogCallReceived(call.Id, call.SipCallId, invite.CSeq?.Number ?? 0, call.CallerNumber, did);
        await dialer.DialAsync(call).ConfigureAwait(false);
    }

    private void RespondBusy(IncomingRequest request) => sip.Respond(null, LegSide.Caller, request, 503, null, default, null, RetryAfter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} (SIP Call-ID {SipCallId}, CSeq {CSeq}) from {Caller} to DID {Did}")]
    private partial void LogCallReceived(Guid callId, string sipCallId, long cSeq, string caller, string did);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId} (SIP Call-ID {SipCallId}) refused: {Limited} is over its calls-per-second limit")]
    private partial void LogRateLimited(Guid callId, string sipCallId, string limited);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} (SIP Call-ID {SipCallId}): no trunk for DID {Did} (Policy unavailable: {Unavailable})")]
    private partial void LogNoTrunk(Guid callId, string sipCallId, string did, bool unavailable);
}
