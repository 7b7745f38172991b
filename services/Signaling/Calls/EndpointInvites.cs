using Trunk.Signaling.Sip;
using Trunk.Sip.Dialogs;
using Trunk.Sip.Messages;
using Trunk.Sip.Transport;

namespace Trunk.Signaling.Calls;

/// <summary>
/// The INVITEs the B2BUA originates (a new Call-ID, tags and Via: nothing of the caller's leg leaks): the caller's
/// number in From and P-Asserted-Identity (RFC 3325), and the caller's SDP unchanged (media passthrough) or Media's
/// offer for the leg (anchored media).
/// </summary>
internal sealed class EndpointInvites(SipEndpoint sip)
{
    public SipRequest ToEndpoint(Call call, SipUri terminationUri, SipDestination destination)
    {
        var to = new NameAddress(terminationUri.User is null ? terminationUri.WithUser(call.Did) : terminationUri);
        return Create(call, terminationUri, to, destination, [], call.MediaAnchored ? call.EndpointMediaOffer : call.CallerOffer);
    }

    /// <summary>The target's INVITE; <paramref name="sdp"/> is Media's offer for the target leg when media is anchored.</summary>
    public SipRequest ToTarget(Call call, SipUri target, SipDestination destination, string callerNumber, string? referredBy, ReadOnlyMemory<byte> sdp)
    {
        SipHeader[] extra = referredBy is null ? [] : [new SipHeader(SipHeaderNames.ReferredBy, referredBy)];
        return Create(call, target, new NameAddress(target), destination, extra, call.MediaAnchored ? sdp : call.CallerOffer, callerNumber);
    }

    private SipRequest Create(Call call, SipUri requestUri, NameAddress to, SipDestination destination, SipHeader[] extra, ReadOnlyMemory<byte> sdp,
        string? callerNumber = null)
    {
        var identity = $"<sip:{callerNumber ?? call.CallerNumber}@{sip.AdvertisedHost}>";
        var headers = new List<SipHeader>(extra) { new(SipHeaderNames.PAssertedIdentity, identity) };
        var invite = InitialRequests.Create(SipMethod.Invite, requestUri, NameAddress.Parse(identity), sip.Contact(destination.Protocol),
            sdp, sdp.IsEmpty ? null : call.MediaAnchored ? "application/sdp" : call.CallerOfferType, headers);
        return invite.WithHeaders(invite.Headers.Set(SipHeaderNames.To, to.ToString()));
    }
}
