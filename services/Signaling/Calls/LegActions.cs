using Trunk.Signaling.Sip;
using Trunk.Sip.Dialogs;
using Trunk.Sip.Messages;

namespace Trunk.Signaling.Calls;

/// <summary>The requests the B2BUA sends on a leg it ends: BYE in an answered dialog, CANCEL for an unanswered INVITE.</summary>
internal sealed class LegActions(SipEndpoint sip)
{
    /// <summary>Ends the leg; true when a request went out. An unanswered INVITE without a provisional yet is CANCELled when one arrives.</summary>
    public async Task<bool> EndAsync(Call call, Leg leg, string? reason = null)
    {
        bool bye;
        SipRequest? cancelFor;
        lock (call.Gate)
        {
            if (leg.Ended)
            {
                return false;
            }

            leg.Ended = true;
            bye = leg.Answered && leg.Dialog is not null;
            cancelFor = bye ? null : leg.SentInvite;
            leg.CancelRequested = !bye && cancelFor is null;
        }

        if (bye)
        {
            await SendByeAsync(call, leg, reason).ConfigureAwait(false);
            return true;
        }

        if (cancelFor is not null)
        {
            await sip.CancelAsync(call, leg.Side, cancelFor, leg.Destination).ConfigureAwait(false);
            return true;
        }

        return false;
    }

    /// <summary>Called with each provisional response to our INVITE: remembers the sent request and sends a CANCEL asked for earlier.</summary>
    public void OnProvisional(Call call, Leg leg, SipRequest invite, SipResponse provisional)
    {
        bool cancelNow;
        lock (call.Gate)
        {
            if (leg.SentInvite is null && provisional.Headers.GetFirst(SipHeaderNames.Via) is { } via)
            {
                leg.SentInvite = invite.WithHeaders(invite.Headers.AddFirst(SipHeaderNames.Via, via));
            }

            cancelNow = leg.CancelRequested && leg.SentInvite is not null;
            leg.CancelRequested = false;
        }

        if (cancelNow)
        {
            _ = sip.CancelAsync(call, leg.Side, leg.SentInvite!, leg.Destination);
        }
    }

    private async Task SendByeAsync(Call call, Leg leg, string? reason)
    {
        var dialog = leg.Dialog!;
        SipHeader[] headers = reason is null ? [] : [new SipHeader(SipHeaderNames.Reason, reason)];
        var bye = dialog.CreateRequest(SipMethod.Bye, headers);
        var response = await sip.SendAsync(call, leg.Side, bye, leg.NextHop()).ConfigureAwait(false);
        dialog.OnResponse(bye, response);
        dialog.Terminate();
    }
}
