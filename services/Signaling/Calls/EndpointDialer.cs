using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Contracts.Policy;
using Trunk.ServiceDefaults;
using Trunk.Signaling.Events;
using Trunk.Signaling.Media;
using Trunk.Signaling.Settings;
using Trunk.Signaling.Sip;
using Trunk.Sip.Dialogs;
using Trunk.Sip.Messages;
using Trunk.Sip.Transport;

namespace Trunk.Signaling.Calls;

/// <summary>
/// The endpoint leg (B): an INVITE to the trunk's primary termination URI, then to the next on 408, 5xx or no answer
/// in time; provisional responses relayed to the caller, the answer bridged to the caller, a failure passed back.
/// </summary>
internal sealed partial class EndpointDialer(
    SipEndpoint sip,
    EndpointInvites invites,
    LegActions legs,
    CallRegistry calls,
    CallTerminator terminator,
    CallEventPublisher events,
    MediaAnchor media,
    ServiceIdentity identity,
    IOptions<SipSettings> settings,
    TimeProvider time,
    ILogger<EndpointDialer> logger)
{
    public async Task DialAsync(Call call)
    {
        if (!await AnchorCallerAsync(call).ConfigureAwait(false))
        {
            return;
        }

        var last = new EndpointAttempt(false, FailoverPolicy.NoAnswer, null);
        var attempt = 0;
        foreach (var uri in call.Trunk.TerminationUris)
        {
            if (call.CallerInvite.Cancelled.IsCancellationRequested)
            {
                break;
            }

            if (!SipUri.TryParse(uri, out var target) || !SipDestination.TryFromUri(target, out var destination))
            {
                LogBadTerminationUri(call.Id, call.SipCallId, uri);
                continue;
            }

            last = await TryAsync(call, target, destination, ++attempt).ConfigureAwait(false);
            if (last.Answered || !FailoverPolicy.TriesNext(last.StatusCode))
            {
                break;
            }
        }

        if (last.Answered)
        {
            return;
        }

        if (call.CallerInvite.Cancelled.IsCancellationRequested)
        {
            await terminator.EndAsync(call, LegSide.Caller, 487, null, HangupCauses.CallerCancelled).ConfigureAwait(false);
            return;
        }

        var code = FailoverPolicy.CallerCode(last.StatusCode);
        sip.Respond(call, LegSide.Caller, call.CallerInvite, code);
        var cause = last.StatusCode == FailoverPolicy.NoAnswer || attempt == 0 ? HangupCauses.EndpointUnreachable : HangupCauses.EndpointRejected;
        await terminator.EndAsync(call, LegSide.Endpoint, code, last.Reason, cause).ConfigureAwait(false);
    }

    /// <summary>
    /// Anchored media (services/Media/README.md, call set-up): Media answers the caller's offer and makes the offer for
    /// the endpoint. No ports or no G.711 fails the call with Media's code (503 with Retry-After, or 488). A caller
    /// INVITE without an offer passes through.
    /// </summary>
    private async Task<bool> AnchorCallerAsync(Call call)
    {
        var offer = call.CallerOffer;
        if (call.Trunk.Media != MediaMode.Anchored || offer.IsEmpty)
        {
            return true;
        }

        var callerAnswer = await media.AllocateAsync(call, LegSide.Caller, offer).ConfigureAwait(false);
        var endpointOffer = callerAnswer.Allocated ? await media.AllocateAsync(call, LegSide.Endpoint, default).ConfigureAwait(false) : callerAnswer;
        if (endpointOffer.Allocated)
        {
            lock (call.Gate)
            {
                call.Caller.LocalSdp = callerAnswer.Sdp;
                call.EndpointMediaOffer = endpointOffer.Sdp;
            }

            return true;
        }

        LogMediaFailed(call.Id, call.SipCallId, endpointOffer.FailureCode, endpointOffer.Reason);
        SipHeader[] retryAfter = endpointOffer.FailureCode == 503 ? [InboundCallHandler.RetryAfter] : [];
        sip.Respond(call, LegSide.Caller, call.CallerInvite, endpointOffer.FailureCode, null, default, null, retryAfter);
        await terminator.EndAsync(call, null, endpointOffer.FailureCode, null, HangupCauses.MediaUnavailable).ConfigureAwait(false);
        return false;
    }

    private async Task<EndpointAttempt> TryAsync(Call call, SipUri target, SipDestination destination, int attempt)
    {
        var leg = new Leg(LegSide.Endpoint, destination);
        lock (call.Gate)
        {
            call.Endpoint = leg;
        }

        var invite = invites.ToEndpoint(call, target, destination);
        var responded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        events.Publish(new EndpointDialled(call.Id, time.GetUtcNow(), identity.InstanceId, target.ToString(), attempt, invite.CallId ?? string.Empty));
        LogDialling(call.Id, call.SipCallId, target.ToString(), attempt);
        var final = sip.SendAsync(call, LegSide.Endpoint, invite, destination, provisional =>
        {
            responded.TrySetResult();
            legs.OnProvisional(call, leg, invite, provisional);
            RelayProvisional(call, leg, provisional);
        });
        await using var cancelOnCallerCancel = call.CallerInvite.Cancelled.Register(() => _ = legs.EndAsync(call, leg)).ConfigureAwait(false);

        if (!await Task.WhenAny(final, responded.Task).CompletesWithinAsync(settings.Value.EndpointResponseTimeout, time).ConfigureAwait(false))
        {
            LogSilent(call.Id, call.SipCallId, target.ToString());
            return new EndpointAttempt(false, FailoverPolicy.NoAnswer, null);
        }

        if (!await final.CompletesWithinAsync(call.Trunk.RingTimeout, time).ConfigureAwait(false))
        {
            await legs.EndAsync(call, leg).ConfigureAwait(false);
            var afterCancel = await final.ConfigureAwait(false);
            if (!afterCancel.IsSuccess)
            {
                return new EndpointAttempt(false, FailoverPolicy.NoAnswer, null);
            }
        }

        var response = await final.ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            lock (call.Gate)
            {
                leg.Ended = true;
            }

            return new EndpointAttempt(false, response.StatusCode, response.GetReasons()?.FirstOrDefault()?.ToString());
        }

        await AnswerAsync(call, leg, invite, response).ConfigureAwait(false);
        return new EndpointAttempt(true, 200, null);
    }

    /// <summary>180 and 183 go to the caller; with anchored media an early answer's SDP goes to Media and the caller gets Media's.</summary>
    private void RelayProvisional(Call call, Leg leg, SipResponse provisional)
    {
        if (provisional.StatusCode is not (180 or 183))
        {
            return;
        }

        var body = provisional.Body;
        if (call.MediaAnchored && !body.IsEmpty)
        {
            _ = media.AnchorAnswerAsync(call, leg, body);
            body = call.Caller.LocalSdp;
        }

        sip.Respond(call, LegSide.Caller, call.CallerInvite, provisional.StatusCode, provisional.ReasonPhrase, body,
            body.IsEmpty ? null : provisional.Headers.GetFirst(SipHeaderNames.ContentType));
    }

    /// <summary>The SDP the caller gets in the 200: the endpoint's (passthrough) or Media's answer once Media has the endpoint's SDP.</summary>
    private async Task<MediaAnswer> CallerAnswerAsync(Call call, Leg leg, SipResponse answer)
    {
        if (!call.MediaAnchored)
        {
            return MediaAnswer.Of(answer.Body);
        }

        var result = await media.AnchorFinalAnswerAsync(call, leg, answer.Body).ConfigureAwait(false);
        return result.Allocated ? MediaAnswer.Of(call.Caller.LocalSdp) : result;
    }

    private async Task AnswerAsync(Call call, Leg leg, SipRequest invite, SipResponse answer)
    {
        if (!Dialog.TryCreateAsUac(invite, answer, out var endpointDialog))
        {
            LogNoDialog(call.Id, call.SipCallId);
            sip.Respond(call, LegSide.Caller, call.CallerInvite, 502);
            await terminator.EndAsync(call, LegSide.Endpoint, 502, null, HangupCauses.EndpointRejected).ConfigureAwait(false);
            return;
        }

        leg.Dialog = endpointDialog;
        // Media has the endpoint's SDP before the ACK goes: an endpoint may REFER as soon as it has the ACK, and its
        // dialog must be known by then (else 481).
        var sdp = await CallerAnswerAsync(call, leg, answer).ConfigureAwait(false);
        await sip.SendAckAsync(call, LegSide.Endpoint, endpointDialog!.CreateAck(invite.CSeq!.Number), leg.NextHop()).ConfigureAwait(false);
        if (!sdp.Allocated)
        {
            LogMediaFailed(call.Id, call.SipCallId, sdp.FailureCode, sdp.Reason);
            lock (call.Gate)
            {
                leg.Answer();
            }

            sip.Respond(call, LegSide.Caller, call.CallerInvite, sdp.FailureCode);
            await terminator.EndAsync(call, null, sdp.FailureCode, null, HangupCauses.MediaUnavailable).ConfigureAwait(false);
            return;
        }

        var callerOk = call.CallerInvite.CreateResponse(200, null, sdp.Sdp,
            sdp.Sdp.IsEmpty ? null : answer.Headers.GetFirst(SipHeaderNames.ContentType));
        callerOk = callerOk.WithHeaders(callerOk.Headers.Set(SipHeaderNames.Contact, $"<{sip.Contact(call.CallerInvite.Peer.Protocol)}>"));
        var now = time.GetUtcNow();
        lock (call.Gate)
        {
            leg.Answer();
            leg.RemoteSdp = answer.Body;
            call.Caller.RemoteSdp = call.CallerOffer;
            call.Caller.Answered = true;
            call.AnsweredAt = now;
        }

        // Dialogs are known before the 200 leaves, so that an ACK or BYE right behind it finds its call (else 481).
        if (Dialog.TryCreateAsUas(call.CallerInvite.Request, callerOk, sip.Contact(call.CallerInvite.Peer.Protocol), out var callerDialog))
        {
            call.Caller.Dialog = callerDialog;
            calls.AddDialog(call, LegSide.Caller, callerDialog!);
        }

        calls.AddDialog(call, LegSide.Endpoint, endpointDialog!);
        if (call.CallerInvite.Cancelled.IsCancellationRequested || !sip.Respond(call, LegSide.Caller, call.CallerInvite, callerOk))
        {
            await terminator.EndAsync(call, LegSide.Caller, 487, null, HangupCauses.CallerCancelled).ConfigureAwait(false);
            return;
        }

        call.ReleaseCallerInvite();

        events.Publish(new CallAnswered(call.Id, now, identity.InstanceId, invite.RequestUri.ToString(), now - call.ReceivedAt));
        LogAnswered(call.Id, call.SipCallId, invite.CallId ?? string.Empty);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} (SIP Call-ID {SipCallId}): dialling {TerminationUri}, attempt {Attempt}")]
    private partial void LogDialling(Guid callId, string sipCallId, string terminationUri, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId} (SIP Call-ID {SipCallId}): termination URI {TerminationUri} is not a routable SIP URI")]
    private partial void LogBadTerminationUri(Guid callId, string sipCallId, string terminationUri);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId} (SIP Call-ID {SipCallId}): {TerminationUri} did not respond in time")]
    private partial void LogSilent(Guid callId, string sipCallId, string terminationUri);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId} (SIP Call-ID {SipCallId}): the endpoint's 2xx formed no dialog (no Contact or To tag)")]
    private partial void LogNoDialog(Guid callId, string sipCallId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId} (SIP Call-ID {SipCallId}) failed with {Code}: media could not be anchored ({Reason})")]
    private partial void LogMediaFailed(Guid callId, string sipCallId, int code, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} (SIP Call-ID {SipCallId}) answered; endpoint leg SIP Call-ID {EndpointCallId}")]
    private partial void LogAnswered(Guid callId, string sipCallId, string endpointCallId);
}
