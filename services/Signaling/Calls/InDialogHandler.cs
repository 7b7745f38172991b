using Microsoft.Extensions.Logging;
using Trunk.Contracts;
using Trunk.Signaling.Media;
using Trunk.Signaling.Sip;
using Trunk.Signaling.Transfers;
using Trunk.Sip.Dialogs;
using Trunk.Sip.Messages;
using Trunk.Sip.Transactions;

namespace Trunk.Signaling.Calls;

/// <summary>
/// Requests inside a call's dialogs: BYE ends the other side (except the endpoint's BYE once a transfer was
/// accepted; the caller's BYE also CANCELs a ringing target), re-INVITE, UPDATE and INFO pass across to the peer leg, REFER goes to the transfer checks.
/// </summary>
internal sealed partial class InDialogHandler(
    SipEndpoint sip,
    CallTerminator terminator,
    ReferHandler refers,
    MediaAnchor media,
    ILogger<InDialogHandler> logger)
{
    public async Task HandleAsync(Call call, LegSide side, IncomingRequest request)
    {
        var sipRequest = request.Request;
        sip.Received(call, side, sipRequest, request.Peer);
        var leg = call.LegOf(side);
        var check = leg?.Dialog?.OnRemoteRequest(sipRequest) ?? RemoteRequestCheck.NotThisDialog;
        if (check != RemoteRequestCheck.Accepted)
        {
            // §12.2.2: a lower CSeq gets 500; a request for no dialog of ours 481.
            sip.Respond(call, side, request, check == RemoteRequestCheck.OutOfOrder ? 500 : 481);
            return;
        }

        LogInDialog(call.Id, sipRequest.CallId ?? string.Empty, sipRequest.CSeq?.Number ?? 0, sipRequest.Method, side);
        switch (sipRequest.Method)
        {
            case SipMethod.Bye:
                sip.Respond(call, side, request, 200);
                await OnByeAsync(call, side, leg!, sipRequest).ConfigureAwait(false);
                break;
            case SipMethod.Invite or SipMethod.Update when call.MediaAnchored:
                await AnswerFromMediaAsync(call, leg!, request).ConfigureAwait(false);
                break;
            case SipMethod.Invite or SipMethod.Update or SipMethod.Info:
                await RelayAsync(call, side, request).ConfigureAwait(false);
                break;
            case SipMethod.Refer when side == LegSide.Endpoint:
                await refers.HandleAsync(call, request).ConfigureAwait(false);
                break;
            case SipMethod.Refer:
                sip.Respond(call, side, request, 403, "Only the endpoint may transfer");
                break;
            case SipMethod.Options or SipMethod.Notify:
                sip.Respond(call, side, request, 200);
                break;
            default:
                sip.Respond(call, side, request, 405, null, default, null, SipCapabilities.AllowHeader);
                break;
        }
    }

    private async Task OnByeAsync(Call call, LegSide side, Leg leg, SipRequest bye)
    {
        var reason = bye.Headers.GetFirst(SipHeaderNames.Reason);
        switch (side)
        {
            case LegSide.Caller:
                await terminator.EndAsync(call, LegSide.Caller, 200, reason, HangupCauses.CallerHangup).ConfigureAwait(false);
                break;
            case LegSide.Endpoint when call.Bridged || call.Transfer is { Accepted: true }:
                // The caller is ours: the endpoint leaving after 202 does not stop the transfer (ARCHITECTURE.md).
                terminator.LegEnded(call, leg, LegSide.Endpoint, 200, reason);
                break;
            case LegSide.Endpoint:
                await terminator.EndAsync(call, LegSide.Endpoint, 200, reason, HangupCauses.EndpointHangup).ConfigureAwait(false);
                break;
            case LegSide.Target when call.Bridged:
                await terminator.EndAsync(call, LegSide.Target, 200, reason, HangupCauses.TargetHangup).ConfigureAwait(false);
                break;
            default:
                terminator.LegEnded(call, leg, LegSide.Target, 200, reason);
                break;
        }
    }

    /// <summary>
    /// Anchored media: a leg's new offer (hold, a codec change, a new address) is Media's to answer, and nothing
    /// reaches the other legs; an offerless re-INVITE gets the SDP Media last gave the leg.
    /// </summary>
    private async Task AnswerFromMediaAsync(Call call, Leg leg, IncomingRequest request)
    {
        var offer = request.Request.Body;
        var answer = offer.IsEmpty ? MediaAnswer.Of(leg.LocalSdp) : await media.AllocateAsync(call, leg.Side, offer).ConfigureAwait(false);
        if (!answer.Allocated)
        {
            sip.Respond(call, leg.Side, request, answer.FailureCode, answer.Reason);
            return;
        }

        lock (call.Gate)
        {
            leg.LocalSdp = answer.Sdp;
        }

        sip.Respond(call, leg.Side, request, 200, null, answer.Sdp, answer.Sdp.IsEmpty ? null : "application/sdp");
    }

    /// <summary>Passes a re-INVITE, UPDATE or INFO to the peer leg and its answer back (the B2BUA keeps two dialogs).</summary>
    private async Task RelayAsync(Call call, LegSide side, IncomingRequest request)
    {
        var peer = side == LegSide.Caller ? call.PeerOfCaller : call.Caller;
        if (peer?.Dialog is not { } dialog || peer.Ended)
        {
            sip.Respond(call, side, request, request.Request.Method == SipMethod.Invite ? 491 : 481);
            return;
        }

        var incoming = request.Request;
        var outgoing = dialog.CreateRequest(incoming.Method, null, incoming.Body,
            incoming.Body.IsEmpty ? null : incoming.Headers.GetFirst(SipHeaderNames.ContentType));
        var answer = await sip.SendAsync(call, peer.Side, outgoing, peer.NextHop()).ConfigureAwait(false);
        dialog.OnResponse(outgoing, answer);
        // The answer goes to the originator before the peer gets its ACK: a peer that sends its next request (an
        // UPDATE) as soon as it has the ACK would otherwise have it relayed ahead of the 200 it follows.
        sip.Respond(call, side, request, answer.StatusCode, answer.ReasonPhrase, answer.Body,
            answer.Body.IsEmpty ? null : answer.Headers.GetFirst(SipHeaderNames.ContentType));
        if (outgoing.Method == SipMethod.Invite && answer.IsSuccess)
        {
            await sip.SendAckAsync(call, peer.Side, dialog.CreateAck(outgoing.CSeq!.Number), peer.NextHop()).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId}: {Method} (SIP Call-ID {SipCallId}, CSeq {CSeq}) from the {Leg} leg")]
    private partial void LogInDialog(Guid callId, string sipCallId, long cSeq, string method, LegSide leg);
}
