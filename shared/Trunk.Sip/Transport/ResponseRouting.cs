using System.Net;
using Trunk.Sip.Messages;

namespace Trunk.Sip.Transport;

/// <summary>The receive-side Via stamping of §18.2.1 / RFC 3581 §4 and the response routing of §18.2.2 / RFC 3581 §5.</summary>
public static class ResponseRouting
{
    private const int DefaultPort = 5060;

    /// <summary>
    /// Adds <c>received</c> when the sent-by host differs from the source address (§18.2.1) or when
    /// the client asked for <c>rport</c>, and fills <c>rport</c> with the source port (RFC 3581 §4).
    /// </summary>
    public static ViaHeader Stamp(ViaHeader via, IPEndPoint source)
    {
        ArgumentNullException.ThrowIfNull(via);
        ArgumentNullException.ThrowIfNull(source);
        var sourceAddress = source.Address.IsIPv4MappedToIPv6 ? source.Address.MapToIPv4() : source.Address;
        var stamped = via;
        var sentByIsSource = IPAddress.TryParse(via.Host.Trim('[', ']'), out var sentBy) && sentBy.Equals(sourceAddress);
        if (!sentByIsSource || via.HasRPort)
        {
            stamped = stamped.WithParameter("received", sourceAddress.ToString());
        }

        if (via.HasRPort)
        {
            stamped = stamped.WithParameter("rport", source.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return stamped;
    }

    /// <summary>
    /// Where a response goes (§18.2.2): over the request's connection when reliable; otherwise to <c>maddr</c>, or to
    /// <c>received</c> at <c>rport</c> (RFC 3581 §5) or the sent-by port, or else the sent-by itself.
    /// Falls back to the request's source when the Via names no usable address.
    /// </summary>
    public static SipDestination Destination(ViaHeader? topVia, SipPeer receivedFrom)
    {
        if (receivedFrom.Protocol.IsReliable() || topVia is null)
        {
            return new SipDestination(receivedFrom.Protocol, receivedFrom.Remote);
        }

        var maddr = topVia.Parameters.Get("maddr");
        var host = maddr ?? topVia.Received ?? topVia.Host;
        var port = maddr is null ? topVia.RPort ?? topVia.Port ?? DefaultPort : topVia.Port ?? DefaultPort;
        return IPAddress.TryParse(host.Trim('[', ']'), out var address)
            ? new SipDestination(receivedFrom.Protocol, SharedEndPoints.Default.Get(address, port))
            : new SipDestination(receivedFrom.Protocol, receivedFrom.Remote);
    }
}
