using System.Buffers.Binary;

namespace Trunk.CallHistory.SipTraces;

/// <summary>
/// A trace as a classic pcap file (libpcap format: little-endian, microsecond times, link type 1 Ethernet), one
/// <see cref="SipFrames"/> frame per message. Wireshark, tshark and tcpdump read it.
/// </summary>
public static class SipTracePcap
{
    public const string ContentType = "application/vnd.tcpdump.pcap";
    private const uint Magic = 0xA1B2C3D4;
    private const int LinkTypeEthernet = 1;

    public static byte[] Write(SipTrace trace)
    {
        using var file = new MemoryStream();
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], ushort.MaxValue + SipFrames.EthernetHeader);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], LinkTypeEthernet);
        file.Write(header);

        Span<byte> record = stackalloc byte[16];
        foreach (var (at, frame) in SipFrames.Of(trace))
        {
            var microseconds = at.ToUnixTimeMilliseconds() * 1000 + at.UtcTicks / 10 % 1000;
            BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(microseconds / 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)(microseconds % 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)frame.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)frame.Length);
            file.Write(record);
            file.Write(frame);
        }

        return file.ToArray();
    }
}
