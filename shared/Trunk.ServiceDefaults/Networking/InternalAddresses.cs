using System.Net;
using System.Net.Sockets;

namespace Trunk.ServiceDefaults.Networking;

/// <summary>
/// Addresses that lead into the operator's own networks rather than to a customer's public host: what a REFER target
/// (Signaling, 403) and a webhook URL (Webhooks) must not reach.
/// </summary>
public static class InternalAddresses
{
    /// <summary>
    /// 10/8, 172.16/12, 192.168/16, 100.64/10 (shared address space), 169.254/16 and fe80::/10 (link-local), loopback,
    /// fc00::/7 (unique local), fec0::/10 (site-local) and the unspecified addresses; IPv4 mapped into IPv6 counts as IPv4.
    /// </summary>
    /// <summary>Whether <paramref name="host"/> is an address literal (IPv6 with or without brackets) that <see cref="Contains(IPAddress)"/> holds; a name is not.</summary>
    public static bool ContainsLiteral(string? host) =>
        host is not null && IPAddress.TryParse(host.Trim('[', ']'), out var address) && Contains(address);

    public static bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal;
        }

        var b = address.GetAddressBytes();
        return b[0] == 10 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] is >= 64 and <= 127);
    }
}
