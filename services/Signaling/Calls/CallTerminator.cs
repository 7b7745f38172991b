using Microsoft.Extensions.Logging;
using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.ServiceDefaults;
using Trunk.Signaling.Events;
using Trunk.Signaling.Media;
using Trunk.Signaling.Tracing;
using Trunk.Sip.Messages;

namespace Trunk.Signaling.Calls;

/// <summary>Ends a call once: every other leg gets BYE or CANCEL, each leg's end and the call's end are published, the trace is flushed.</summary>
internal sealed partial class CallTerminator(
    CallRegistry calls,
    LegActions legs,
    CallEventPublisher events,
    MediaAnchor media,
    SipTraceFlusher traces,
    ServiceIdentity identity,
    TimeProvider time,
    ILogger<CallTerminator> logger)
{
    public async Task EndAsync(Call call, LegSide? hungUpBy, int sipCode, string? reason, string cause)
    {
        lock (call.Gate)
        {
            if (call.Ended)
            {
                return;
            }

            call.Ended = true;
        }

        LogCallEnded(call.Id, call.SipCallId, cause, sipCode);
        foreach (var leg in new[] { call.Caller, call.Endpoint, call.Target })
        {
            if (leg is null)
            {
                continue;
            }

            var alreadyEnded = leg.Ended;
            if (leg.Side != hungUpBy)
            {
                await EndLegQuietlyAsync(call, leg).ConfigureAwait(false);
            }
            else
            {
                leg.Ended = true;
            }

            if ((!alreadyEnded || leg.Side == hungUpBy) && FirstReport(call, leg))
            {
                events.Publish(new LegHungUp(call.Id, time.GetUtcNow(), identity.InstanceId, leg.Side, hungUpBy, sipCode, reason));
            }
        }

        await media.ReleaseAllAsync(call).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var duration = call.AnsweredAt is { } answered ? now - answered : TimeSpan.Zero;
        events.Publish(new CallEnded(call.Id, now, identity.InstanceId, duration, cause, sipCode, Q850(reason)));
        traces.Flush(call);
        calls.Remove(call);
    }

    /// <summary>Publishes that one leg ended while the call goes on (the endpoint after a transfer, a failed target); frees its media.</summary>
    public void LegEnded(Call call, Leg leg, LegSide? hungUpBy, int sipCode, string? reason)
    {
        lock (call.Gate)
        {
            leg.Ended = true;
        }

        _ = media.ReleaseAsync(call, leg.Side);
        if (!FirstReport(call, leg))
        {
            return;
        }

        events.Publish(new LegHungUp(call.Id, time.GetUtcNow(), identity.InstanceId, leg.Side, hungUpBy, sipCode, reason));
    }

    private static bool FirstReport(Call call, Leg leg)
    {
        lock (call.Gate)
        {
            var first = !leg.HangUpPublished;
            leg.HangUpPublished = true;
            return first;
        }
    }

    private async Task EndLegQuietlyAsync(Call call, Leg leg)
    {
        try
        {
            await legs.EndAsync(call, leg).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException)
        {
            LogLegEndFailed(exception, call.Id, call.SipCallId, leg.Side);
        }
    }

    private static int? Q850(string? reason) =>
        reason is not null && ReasonHeader.TryParse(reason, out var header) && header.Protocol.Equals("Q.850", StringComparison.OrdinalIgnoreCase)
            ? header.Cause
            : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} (SIP Call-ID {SipCallId}) ended: {Cause}, SIP {SipCode}")]
    private partial void LogCallEnded(Guid callId, string sipCallId, string cause, int sipCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId} (SIP Call-ID {SipCallId}): ending the {Leg} leg failed")]
    private partial void LogLegEndFailed(Exception exception, Guid callId, string sipCallId, LegSide leg);
}
