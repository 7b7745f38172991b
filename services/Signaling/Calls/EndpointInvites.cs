using Trunk.Signaling.Sip;
using Trunk.Sip.Dialogs;
using Trunk.Sip.Messages;
using Trunk.Sip.Transport;

namespace Trunk.Signaling.Calls;

/// <summary>
/// The INVITEs the B2BUA originates (a new Call-ID, tags and Via: nothing of the caller's leg leaks): the caller's
/// number in From and P-Asserted-Identity (RFC 3325), the caller's SDP unchanged (media passthrough).
/// </summary>
internal sealed class EndpointInvites(SipEndpoint sip)
{
    public SipRequest ToEndpoint(Call call, SipUri terminationUri, SipDestination destination)
    {
        var to = new NameAddress(terminationUri.User is null ? terminationUri.WithUser(call.Did) : terminationUri);
        return Create(call, terminationUri, to, destination, []);
    }

    public SipRequest ToTarget(Call call, SipUri target, SipDestination destination, string callerNumber, string? referredBy)
    {
        SipHeader[] extra = referredBy is null ? [] : [new SipHeader(SipHeaderNames.ReferredBy, referredBy)];
        return Create(call, target, new NameAddress(target), destination, extra, callerNumber);
    }

    private SipRequest Create(Call call, SipUri requestUri, NameAddress to, SipDestination destination, SipHeader[] extra, string? callerNumber = null)
    {
        var identity = $"<sip:{callerNumber ?? call.CallerNumber}@{sip.AdvertisedHost}>";
        var caller = call.CallerInvite.Request;
        var headers = new List<SipHeader>(extra) { new(SipHeaderNames.PAssertedIdentity, identity) };
        var invite = InitialRequests.Create(SipMethod.Invite, requestUri, NameAddress.Parse(identity), sip.Contact(destination.Protocol),
            caller.Body, caller.ContentType, headers);
        return invite.WithHeaders(invite.Headers.Set(SipHeaderNames.To, to.ToString()));
    }
}
