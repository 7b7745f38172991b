using System.Buffers.Binary;

namespace Trunk.Media.Rtp;

/// <summary>
/// The fixed RTP header (RFC 3550 §5.1) read in place: version 2, CSRC list, header extension and padding checked
/// against the datagram's length, so that a malformed packet is refused before anything reads past it.
/// </summary>
internal static class RtpHeader
{
    public const int FixedLength = 12;

    /// <summary>Returns the payload's offset, or -1 when the datagram is not a well-formed RTP packet.</summary>
    public static int PayloadOffset(ReadOnlySpan<byte> packet, out int payloadLength)
    {
        payloadLength = 0;
        if (packet.Length < FixedLength || (packet[0] >> 6) != 2)
        {
            return -1;
        }

        var offset = FixedLength + ((packet[0] & 0x0F) * 4);
        if ((packet[0] & 0x10) != 0)
        {
            // RFC 3550 §5.3.1: a 4-byte extension header whose second half counts the 32-bit words that follow.
            if (packet.Length < offset + 4)
            {
                return -1;
            }

            offset += 4 + (BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]) * 4);
        }

        var end = packet.Length;
        if ((packet[0] & 0x20) != 0)
        {
            // RFC 3550 §5.1: the last octet of the padding counts the padding octets, itself included.
            var padding = packet[^1];
            if (padding == 0)
            {
                return -1;
            }

            end -= padding;
        }

        if (offset > end)
        {
            return -1;
        }

        payloadLength = end - offset;
        return offset;
    }

    public static int PayloadType(ReadOnlySpan<byte> packet) => packet[1] & 0x7F;

    public static void SetPayloadType(Span<byte> packet, int payloadType) =>
        packet[1] = (byte)((packet[1] & 0x80) | payloadType);

    public static ushort Sequence(ReadOnlySpan<byte> packet) => BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);

    public static uint Timestamp(ReadOnlySpan<byte> packet) => BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);

    public static uint Ssrc(ReadOnlySpan<byte> packet) => BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);

    /// <summary>Writes a fixed header with no CSRC, extension or padding.</summary>
    public static void Write(Span<byte> packet, int payloadType, bool marker, ushort sequence, uint timestamp, uint ssrc)
    {
        packet[0] = 0x80;
        packet[1] = (byte)((marker ? 0x80 : 0) | payloadType);
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet[8..], ssrc);
    }
}
