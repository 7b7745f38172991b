using System.Net;
using Trunk.Sip.Messages;

namespace Trunk.Sip.Transport;

/// <summary>A resolved next hop: the transport and the IP end point.</summary>
public readonly record struct SipDestination(SipTransportProtocol Protocol, IPEndPoint EndPoint)
{
    private const int DefaultPort = 5060;

    /// <summary>
    /// The next hop for a URI with a literal IP host (RFC 3263 §4 without DNS: the trunk is configured
    /// with addresses). <c>transport=tcp</c> selects TCP; the port defaults to 5060.
    /// </summary>
    public static bool TryFromUri(SipUri uri, out SipDestination destination)
    {
        ArgumentNullException.ThrowIfNull(uri);
        destination = default;
        var host = uri.Host.Trim('[', ']');
        if (!IPAddress.TryParse(host, out var address))
        {
            if (!string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            address = IPAddress.Loopback;
        }

        var protocol = string.Equals(uri.Transport, "tcp", StringComparison.OrdinalIgnoreCase)
            ? SipTransportProtocol.Tcp
            : SipTransportProtocol.Udp;
        destination = new SipDestination(protocol, SharedEndPoints.Default.Get(address, uri.Port ?? DefaultPort));
        return true;
    }

    public override string ToString() => $"{Protocol.ToViaToken()} {EndPoint}";
}
