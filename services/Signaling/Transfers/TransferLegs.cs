using Microsoft.Extensions.Logging;
using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Contracts.Transfers;
using Trunk.ServiceDefaults;
using Trunk.Signaling.Calls;
using Trunk.Signaling.Events;
using Trunk.Signaling.Media;
using Trunk.Signaling.Sip;
using Trunk.Sip.Dialogs;
using Trunk.Sip.Messages;

namespace Trunk.Signaling.Transfers;

/// <summary>The saga's commands after the 202: NOTIFYs of the refer subscription, CANCEL of the target, the bridge, hang-ups.</summary>
internal sealed partial class TransferLegs(
    SipEndpoint sip,
    LegActions legs,
    CallTerminator terminator,
    CallEventPublisher events,
    MediaAnchor media,
    ServiceIdentity identity,
    TimeProvider time,
    ILogger<TransferLegs> logger)
{
    /// <summary>A NOTIFY in the endpoint's dialog (RFC 3515 §2.4.4); none when the endpoint said Refer-Sub: false or the subscription ended.</summary>
    public async Task NotifyAsync(Call call, SendReferNotify command)
    {
        SipRequest notify;
        Leg endpoint;
        ReferSubscription subscription;
        lock (call.Gate)
        {
            if (call.Transfer is not { Subscription: { Status: SubscriptionStatus.Active } active } transfer || transfer.Id != command.TransferId
                || call.Endpoint is not { Dialog.State: not DialogState.Terminated } leg)
            {
                LogNotifySkipped(call.Id, call.SipCallId, command.TransferId, command.SipCode);
                return;
            }

            subscription = active;
            endpoint = leg;
            notify = subscription.CreateNotify(command.SipCode, command.ReasonPhrase);
        }

        var response = await sip.SendAsync(call, LegSide.Endpoint, notify, endpoint.NextHop()).ConfigureAwait(false);
        subscription.OnNotifyResponse(response);
        LogNotified(call.Id, notify.CallId ?? string.Empty, notify.CSeq?.Number ?? 0, command.SipCode, response.StatusCode);
    }

    public async Task CancelTargetAsync(Call call, CancelTarget command)
    {
        if (call.Transfer?.Id == command.TransferId && call.Target is { Answered: false } target)
        {
            await legs.EndAsync(call, target).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Anchored media: Media joins caller and target (transcoding if their laws differ), with no re-INVITE toward the
    /// caller. Passthrough: re-INVITE the caller with the target's SDP. The endpoint stays until the saga has sent the
    /// final NOTIFY 200 and commands its BYE (<see cref="HangUpAsync"/>), in that order (ARCHITECTURE.md, main flow).
    /// </summary>
    public async Task BridgeAsync(Call call, BridgeLegs command)
    {
        if (call.Transfer?.Id != command.TransferId || call.Target is not { Answered: true, Ended: false } target || call.Caller.Dialog is not { } callerDialog)
        {
            LogBridgeSkipped(call.Id, call.SipCallId, command.TransferId);
            return;
        }

        var code = 200;
        if (call.MediaAnchored)
        {
            await media.BridgeAsync(call, LegSide.Caller, LegSide.Target).ConfigureAwait(false);
        }
        else
        {
            code = await ReInviteCallerAsync(call, callerDialog, target.RemoteSdp).ConfigureAwait(false);
        }

        lock (call.Gate)
        {
            call.Bridged = true;
            call.Transfer.Finished = true;
        }

        events.Publish(new CallBridged(call.Id, time.GetUtcNow(), identity.InstanceId, command.TransferId));
        LogBridged(call.Id, call.SipCallId, command.TransferId, call.MediaAnchored ? "Media" : "a re-INVITE of the caller", code);
    }

    /// <summary>The caller's re-INVITE with the target's SDP (passthrough); its final status code.</summary>
    private async Task<int> ReInviteCallerAsync(Call call, Dialog callerDialog, ReadOnlyMemory<byte> targetSdp)
    {
        var reInvite = callerDialog.CreateRequest(SipMethod.Invite, null, targetSdp, targetSdp.IsEmpty ? null : "application/sdp");
        var answer = await sip.SendAsync(call, LegSide.Caller, reInvite, call.Caller.NextHop()).ConfigureAwait(false);
        callerDialog.OnResponse(reInvite, answer);
        if (answer.IsSuccess)
        {
            await sip.SendAckAsync(call, LegSide.Caller, callerDialog.CreateAck(reInvite.CSeq!.Number), call.Caller.NextHop()).ConfigureAwait(false);
        }

        return answer.StatusCode;
    }

    public async Task HangUpAsync(Call call, HangUpLeg command)
    {
        if (command.Leg == LegSide.Caller)
        {
            await terminator.EndAsync(call, null, 200, command.Reason, HangupCauses.CommandedHangup).ConfigureAwait(false);
            return;
        }

        if (call.LegOf(command.Leg) is { Ended: false } leg)
        {
            await legs.EndAsync(call, leg).ConfigureAwait(false);
            terminator.LegEnded(call, leg, null, 200, command.Reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: NOTIFY (SIP Call-ID {SipCallId}, CSeq {CSeq}) sipfrag {Code} answered {Response}")]
    private partial void LogNotified(Guid callId, string sipCallId, long cSeq, int code, int response);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} (SIP Call-ID {SipCallId}): no NOTIFY {Code} for transfer {TransferId} (no active subscription)")]
    private partial void LogNotifySkipped(Guid callId, string sipCallId, Guid transferId, int code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId} (SIP Call-ID {SipCallId}): BridgeLegs for transfer {TransferId} ignored (no answered target)")]
    private partial void LogBridgeSkipped(Guid callId, string sipCallId, Guid transferId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} (SIP Call-ID {SipCallId}): transfer {TransferId} bridged through {How} ({Code})")]
    private partial void LogBridged(Guid callId, string sipCallId, Guid transferId, string how, int code);
}
