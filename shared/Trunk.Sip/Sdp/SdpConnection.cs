using System.Net;
using System.Net.Sockets;

namespace Trunk.Sip.Sdp;

/// <summary>
/// A <c>c=IN IP4|IP6 &lt;address&gt;[/ttl][/count]</c> line (RFC 4566 §5.7), at session or media level.
/// The address may be an IP literal or a fully qualified domain name.
/// </summary>
public sealed record SdpConnection(string NetworkType, string AddressType, string Address)
{
    public const string Internet = "IN";
    public const string IPv4 = "IP4";
    public const string IPv6 = "IP6";

    /// <summary>Multicast TTL (IP4 only, RFC 4566 §5.7).</summary>
    public int? Ttl { get; init; }

    /// <summary>Number of consecutive multicast addresses.</summary>
    public int? AddressCount { get; init; }

    public static SdpConnection For(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var type = address.AddressFamily == AddressFamily.InterNetworkV6 ? IPv6 : IPv4;
        return new SdpConnection(Internet, type, address.ToString());
    }

    /// <summary>
    /// True for <c>0.0.0.0</c> (and <c>::</c>), the RFC 2543 hold address: RFC 3264 §8.4 says it means
    /// neither RTP nor RTCP is to be sent to the peer.
    /// </summary>
    public bool IsNullAddress =>
        IPAddress.TryParse(Address, out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any));

    public bool TryGetIPAddress(out IPAddress? address) =>
        IPAddress.TryParse(Address, out address);

    public override string ToString()
    {
        var text = $"{NetworkType} {AddressType} {Address}";
        if (Ttl is { } ttl)
        {
            text += $"/{ttl}";
        }

        if (AddressCount is { } count)
        {
            text += $"/{count}";
        }

        return text;
    }
}
