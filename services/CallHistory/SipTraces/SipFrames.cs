using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Trunk.Contracts.Calls;

namespace Trunk.CallHistory.SipTraces;

/// <summary>
/// Each traced SIP message as the Ethernet/IPv4/UDP frame it would have been on the wire, for Wireshark: source and
/// destination from the traced addresses (the sender's first), UDP whatever the transport was (Wireshark decodes SIP on
/// either), no UDP checksum (optional in IPv4, RFC 768). An address that is not IPv4 becomes 0.0.0.0 with its port.
/// </summary>
public static class SipFrames
{
    public const int EthernetHeader = 14;
    public const int Ipv4Header = 20;
    public const int UdpHeader = 8;
    public const int MaxPayload = ushort.MaxValue - Ipv4Header - UdpHeader;

    public static IEnumerable<(DateTimeOffset At, byte[] Frame)> Of(SipTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        foreach (var message in trace.Messages)
        {
            var local = Endpoint(message.LocalAddress);
            var remote = Endpoint(message.RemoteAddress);
            var (source, destination) = message.Direction == SipDirection.Sent ? (local, remote) : (remote, local);
            yield return (message.At, Frame(source, destination, Encoding.UTF8.GetBytes(message.Raw)));
        }
    }

    private static byte[] Frame(IPEndPoint source, IPEndPoint destination, byte[] payload)
    {
        var length = Math.Min(payload.Length, MaxPayload);
        var frame = new byte[EthernetHeader + Ipv4Header + UdpHeader + length];
        var span = frame.AsSpan();

        // Ethernet II: locally administered MACs made of the IPv4 address, type IPv4.
        Mac(source.Address, span[6..12]);
        Mac(destination.Address, span[..6]);
        BinaryPrimitives.WriteUInt16BigEndian(span[12..], 0x0800);

        var ip = span.Slice(EthernetHeader, Ipv4Header);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(Ipv4Header + UdpHeader + length));
        ip[6] = 0x40;
        ip[8] = 64;
        ip[9] = (byte)ProtocolType.Udp;
        source.Address.TryWriteBytes(ip[12..16], out _);
        destination.Address.TryWriteBytes(ip[16..20], out _);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum(ip));

        var udp = span.Slice(EthernetHeader + Ipv4Header, UdpHeader);
        BinaryPrimitives.WriteUInt16BigEndian(udp, (ushort)source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], (ushort)destination.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(UdpHeader + length));
        payload.AsSpan(0, length).CopyTo(span[(EthernetHeader + Ipv4Header + UdpHeader)..]);
        return frame;
    }

    private static void Mac(IPAddress address, Span<byte> mac)
    {
        mac[0] = 0x02;
        address.TryWriteBytes(mac[2..], out _);
    }

    /// <summary>The IPv4 header checksum, RFC 791 §3.1: one's complement of the one's complement sum of its 16-bit words.</summary>
    private static ushort Checksum(ReadOnlySpan<byte> header)
    {
        var sum = 0u;
        for (var i = 0; i < header.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        }

        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    private static IPEndPoint Endpoint(string? address)
    {
        if (IPEndPoint.TryParse(address ?? "", out var endpoint) && endpoint.AddressFamily == AddressFamily.InterNetwork)
        {
            return endpoint;
        }

        var colon = address?.LastIndexOf(':') ?? -1;
        var port = colon >= 0 && int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= ushort.MaxValue ? p : 5060;
        return new IPEndPoint(IPAddress.Any, port);
    }
}
