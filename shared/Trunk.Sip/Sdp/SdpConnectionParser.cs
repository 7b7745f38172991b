using System.Net;
using System.Net.Sockets;

namespace Trunk.Sip.Sdp;

/// <summary>Reads the value of a <c>c=</c> line or the address part of <c>a=rtcp</c> (RFC 4566 §5.7).</summary>
internal static class SdpConnectionParser
{
    public static bool TryParse(string value, out SdpConnection? connection, out string? reason)
    {
        connection = null;
        var fields = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 3)
        {
            reason = "expected '<nettype> <addrtype> <connection-address>'";
            return false;
        }

        var addressParts = fields[2].Split('/');
        var address = addressParts[0];
        var isIPv6 = string.Equals(fields[1], SdpConnection.IPv6, StringComparison.OrdinalIgnoreCase);
        var isIPv4 = string.Equals(fields[1], SdpConnection.IPv4, StringComparison.OrdinalIgnoreCase);
        if (isIPv4 || isIPv6)
        {
            var family = isIPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
            if (!IsAddressOf(address, family))
            {
                reason = $"'{address}' is not an {fields[1]} address or domain name";
                return false;
            }
        }
        else if (address.Length == 0)
        {
            reason = "the connection address is empty";
            return false;
        }

        connection = new SdpConnection(fields[0], fields[1], address);
        return TryReadMulticastSuffix(addressParts, isIPv4, ref connection, out reason);
    }

    /// <summary>IP4 takes <c>/ttl[/count]</c>, IP6 only <c>/count</c> (RFC 4566 §5.7).</summary>
    private static bool TryReadMulticastSuffix(string[] parts, bool isIPv4, ref SdpConnection? connection, out string? reason)
    {
        reason = null;
        var numbers = new int[parts.Length - 1];
        for (var i = 1; i < parts.Length; i++)
        {
            if (!SdpNumbers.TryParseDigits(parts[i], out numbers[i - 1]))
            {
                reason = $"'{parts[i]}' after '/' in the connection address is not a number";
                connection = null;
                return false;
            }
        }

        switch (numbers.Length, isIPv4)
        {
            case (0, _):
                return true;
            case (1, true):
                connection = connection! with { Ttl = numbers[0] };
                return true;
            case (2, true):
                connection = connection! with { Ttl = numbers[0], AddressCount = numbers[1] };
                return true;
            case (1, false):
                connection = connection! with { AddressCount = numbers[0] };
                return true;
            default:
                reason = "too many '/' fields in the connection address";
                connection = null;
                return false;
        }
    }

    private static bool IsAddressOf(string address, AddressFamily family)
    {
        if (IPAddress.TryParse(address, out var ip))
        {
            return ip.AddressFamily == family;
        }

        return IsDomainName(address);
    }

    /// <summary>RFC 4566 §9 allows an FQDN; it must contain a letter so that a mistyped dotted quad is not taken for one.</summary>
    private static bool IsDomainName(string address) =>
        address.Length is > 0 and <= 253
        && address.Any(char.IsAsciiLetter)
        && address.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.')
        && !address.StartsWith('.') && !address.StartsWith('-');
}
