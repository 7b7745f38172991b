using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Trunk.Contracts;
using Trunk.Contracts.Transfers;
using Trunk.ServiceDefaults;
using Trunk.Signaling.Calls;
using Trunk.Signaling.Events;
using Trunk.Signaling.Media;
using Trunk.Signaling.Settings;
using Trunk.Signaling.Sip;
using Trunk.Sip.Dialogs;
using Trunk.Sip.Messages;
using Trunk.Sip.Transport;

namespace Trunk.Signaling.Transfers;

/// <summary>
/// The target leg (C): an INVITE through the trunk's carrier gateway with the original caller as From and
/// P-Asserted-Identity and the REFER's Referred-By; its progress published as target events; CANCEL after the ring timeout.
/// </summary>
internal sealed partial class TargetDialer(
    SipEndpoint sip,
    EndpointInvites invites,
    LegActions legs,
    CallRegistry calls,
    CallEventPublisher events,
    MediaAnchor media,
    ServiceIdentity identity,
    IOptions<SipSettings> settings,
    TimeProvider time,
    ILogger<TargetDialer> logger)
{
    public async Task DialAsync(Call call, DialTarget command)
    {
        var transfer = call.Transfer;
        // Only the transfer whose REFER got its 202: a decision that came after the REFER was answered 503 dials nobody.
        if (transfer is null || transfer.Id != command.TransferId || transfer.Finished || call.Target is not null)
        {
            LogIgnored(call.Id, call.SipCallId, command.TransferId);
            return;
        }

        var gateway = call.Trunk.CarrierGateway.Contains(':', StringComparison.Ordinal) && call.Trunk.CarrierGateway.StartsWith("sip", StringComparison.OrdinalIgnoreCase)
            ? call.Trunk.CarrierGateway
            : "sip:" + call.Trunk.CarrierGateway;
        if (!SipUri.TryParse(gateway, out var gatewayUri) || !SipDestination.TryFromUri(gatewayUri, out var destination))
        {
            await FailedAsync(call, command.TransferId, 503, "Carrier gateway is not a routable SIP URI").ConfigureAwait(false);
            return;
        }

        var target = gatewayUri.WithUser(command.TargetNumber);
        var leg = new Leg(LegSide.Target, destination);
        lock (call.Gate)
        {
            call.Target = leg;
        }

        var offer = call.MediaAnchored ? await media.AllocateAsync(call, LegSide.Target, default).ConfigureAwait(false) : default;
        if (call.MediaAnchored && !offer.Allocated)
        {
            lock (call.Gate)
            {
                leg.Ended = true;
            }

            await FailedAsync(call, command.TransferId, offer.FailureCode, offer.Reason).ConfigureAwait(false);
            return;
        }

        leg.LocalSdp = offer.Sdp;
        var invite = invites.ToTarget(call, target, destination, command.CallerNumber, command.ReferredBy ?? transfer.ReferredBy, offer.Sdp);
        events.Publish(new TargetDialled(call.Id, time.GetUtcNow(), identity.InstanceId, command.TransferId, command.TargetNumber, invite.CallId ?? string.Empty));
        LogDialling(call.Id, call.SipCallId, command.TargetNumber, invite.CallId ?? string.Empty);
        var ringed = false;
        var responded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var final = sip.SendAsync(call, LegSide.Target, invite, destination, provisional =>
        {
            responded.TrySetResult();
            legs.OnProvisional(call, leg, invite, provisional);
            if (call.MediaAnchored && !provisional.Body.IsEmpty)
            {
                _ = media.AnchorAnswerAsync(call, leg, provisional.Body);
            }

            if (provisional.StatusCode is 180 or 183 && !ringed)
            {
                ringed = true;
                if (call.MediaAnchored)
                {
                    _ = media.StartRingbackAsync(call);
                }

                events.Publish(new TargetRinging(call.Id, time.GetUtcNow(), identity.InstanceId, command.TransferId, provisional.StatusCode, !provisional.Body.IsEmpty));
            }
        });

        if (!await Task.WhenAny(final, responded.Task).CompletesWithinAsync(settings.Value.EndpointResponseTimeout, time).ConfigureAwait(false))
        {
            // Not even 100 Trying: the carrier is unreachable (ARCHITECTURE.md, NOTIFY table: 503).
            lock (call.Gate)
            {
                leg.Ended = true;
            }

            await FailedAsync(call, command.TransferId, 503, "Service Unavailable").ConfigureAwait(false);
            return;
        }

        var noAnswer = false;
        if (command.RingTimeout > TimeSpan.Zero && !await final.CompletesWithinAsync(command.RingTimeout, time).ConfigureAwait(false))
        {
            noAnswer = true;
            await legs.EndAsync(call, leg).ConfigureAwait(false);
        }

        var response = await final.ConfigureAwait(false);
        if (response.IsSuccess)
        {
            await AnsweredAsync(call, leg, invite, response, command.TransferId).ConfigureAwait(false);
            return;
        }

        lock (call.Gate)
        {
            leg.Ended = true;
        }

        var code = noAnswer ? 480 : response.StatusCode;
        await FailedAsync(call, command.TransferId, code, noAnswer ? "Temporarily Unavailable" : response.ReasonPhrase).ConfigureAwait(false);
    }

    private async Task AnsweredAsync(Call call, Leg leg, SipRequest invite, SipResponse answer, Guid transferId)
    {
        if (!Dialog.TryCreateAsUac(invite, answer, out var dialog))
        {
            await FailedAsync(call, transferId, 502, "The target's 2xx formed no dialog").ConfigureAwait(false);
            return;
        }

        leg.Dialog = dialog;
        // Media has the target's SDP before the ACK goes, so that the target's dialog is known once it may use it.
        var anchored = call.MediaAnchored ? await media.AnchorFinalAnswerAsync(call, leg, answer.Body).ConfigureAwait(false) : default;
        await sip.SendAckAsync(call, LegSide.Target, dialog!.CreateAck(invite.CSeq!.Number), leg.NextHop()).ConfigureAwait(false);
        bool callGone;
        lock (call.Gate)
        {
            leg.Answer();
            leg.RemoteSdp = answer.Body;
            callGone = call.Ended || leg.Ended;
        }

        if (callGone)
        {
            // The caller hung up while the 200 was on its way: release the target at once.
            leg.Ended = false;
            await legs.EndAsync(call, leg).ConfigureAwait(false);
            await FailedAsync(call, transferId, 487, "Request Terminated").ConfigureAwait(false);
            return;
        }

        if (call.MediaAnchored && !anchored.Allocated)
        {
            // No common codec (or Media gone): the target is released and the caller stays (NOTIFY with Media's code).
            await legs.EndAsync(call, leg).ConfigureAwait(false);
            await FailedAsync(call, transferId, anchored.FailureCode, anchored.Reason).ConfigureAwait(false);
            return;
        }

        calls.AddDialog(call, LegSide.Target, dialog!);
        events.Publish(new TargetAnswered(call.Id, time.GetUtcNow(), identity.InstanceId, transferId));
    }

    /// <summary>
    /// The target leg failed: published for the saga; with anchored media the target's ports are freed and the caller,
    /// who heard ringback, talks to the endpoint again.
    /// </summary>
    private async Task FailedAsync(Call call, Guid transferId, int code, string reason)
    {
        LogFailed(call.Id, call.SipCallId, transferId, code);
        if (call.MediaAnchored)
        {
            await media.ReleaseAsync(call, LegSide.Target).ConfigureAwait(false);
            if (!call.Ended)
            {
                await media.BridgeAsync(call, LegSide.Caller, LegSide.Endpoint).ConfigureAwait(false);
            }
        }

        events.Publish(new TargetFailed(call.Id, time.GetUtcNow(), identity.InstanceId, transferId, code, reason));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId} (SIP Call-ID {SipCallId}): DialTarget for transfer {TransferId} ignored (no such transfer, or a target already dialled)")]
    private partial void LogIgnored(Guid callId, string sipCallId, Guid transferId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} (SIP Call-ID {SipCallId}): dialling target {Target}, target SIP Call-ID {TargetCallId}")]
    private partial void LogDialling(Guid callId, string sipCallId, string target, string targetCallId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} (SIP Call-ID {SipCallId}): target of transfer {TransferId} failed with {Code}")]
    private partial void LogFailed(Guid callId, string sipCallId, Guid transferId, int code);
}
