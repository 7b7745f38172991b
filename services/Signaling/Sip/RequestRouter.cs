using Trunk.Contracts;
using Trunk.Signaling.Calls;
using Trunk.Signaling.Telemetry;
using Trunk.Sip.Messages;
using Trunk.Sip.Transactions;

namespace Trunk.Signaling.Sip;

/// <summary>
/// The first stop of every request that passed the stack's §8.2 checks (and 483 for Max-Forwards 0): in-dialog
/// requests to their call, new INVITEs to the inbound handler, OPTIONS answered, anything else 405 with Allow. While the
/// instance drains, new INVITEs and OPTIONS get 503 (<see cref="SipDrain"/>).
/// </summary>
internal sealed class RequestRouter(
    SipEndpoint sip, CallRegistry calls, InboundCallHandler inbound, InDialogHandler inDialog, SipDrain drain, SignalingTelemetry telemetry)
{
    public async Task RouteAsync(IncomingRequest request)
    {
        Call? call = null;
        var side = LegSide.Caller;
        if (request.Request.To?.Tag is not null)
        {
            calls.TryFind(request.Request, out call, out side);
        }

        using var activity = telemetry.StartRequest(request, call);
        await RouteAsync(request, call, side).ConfigureAwait(false);
    }

    private Task RouteAsync(IncomingRequest request, Call? call, LegSide side)
    {
        var sipRequest = request.Request;
        if (sipRequest.To?.Tag is not null)
        {
            if (call is not null)
            {
                return inDialog.HandleAsync(call, side, request);
            }

            // §12.2.2: a request for a dialog we do not know.
            sip.Respond(null, LegSide.Caller, request, 481);
            return Task.CompletedTask;
        }

        switch (sipRequest.Method)
        {
            case SipMethod.Invite or SipMethod.Options when drain.Draining:
                drain.Refuse(request);
                return Task.CompletedTask;
            case SipMethod.Invite:
                return inbound.HandleAsync(request);
            case SipMethod.Options:
                sip.Respond(null, LegSide.Caller, request, 200, null, default, null,
                    SipCapabilities.AllowHeader, SipCapabilities.SupportedHeader, new SipHeader(SipHeaderNames.Accept, "application/sdp"));
                return Task.CompletedTask;
            case SipMethod.Refer:
                // RFC 3515 §2.4.2 read with our rule that REFER lives only inside a call we know.
                sip.Respond(null, LegSide.Caller, request, 481);
                return Task.CompletedTask;
            default:
                sip.Respond(null, LegSide.Caller, request, 405, null, default, null, SipCapabilities.AllowHeader);
                return Task.CompletedTask;
        }
    }
}
