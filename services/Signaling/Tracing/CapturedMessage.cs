using System.Buffers.Binary;
using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Sip.Transport;

namespace Trunk.Signaling.Tracing;

/// <summary>
/// What a traced message crossed the wire between, and when. It is kept as <see cref="Size"/> bytes in the pooled chunk
/// right before the message's wire form (<see cref="SipTraceBuffer"/>), not as an object or an array slot: a live call's
/// trace is then bytes the GC neither copies nor scans, however many messages it holds. The end points are read back as
/// the UTF-8 text their batch's JSON carries (<see cref="EndPointText"/>), with no object made for them.
/// </summary>
internal readonly record struct CapturedMessage(DateTimeOffset At, LegSide Leg, SipDirection Direction, SipTransportProtocol Transport, int Length)
{
    /// <summary>Length, clock ticks, offset, leg, direction, transport, and the two end points.</summary>
    public const int Size = LocalAt + (2 * EndPointSize);

    /// <summary>The longest end point text: "[", an IPv6 address with its scope, "]:" and a port.</summary>
    public const int MaxEndPointText = 72;

    private const int LocalAt = sizeof(int) + sizeof(long) + sizeof(short) + 3;

    /// <summary>Address length (4 or 16), the address, its IPv6 scope and the port.</summary>
    private const int EndPointSize = 1 + 16 + sizeof(uint) + sizeof(ushort);

    public static void Write(Span<byte> header, DateTimeOffset at, LegSide leg, SipDirection direction, SipTransportProtocol transport,
        IPEndPoint local, IPEndPoint remote, int length)
    {
        BinaryPrimitives.WriteInt32LittleEndian(header, length);
        BinaryPrimitives.WriteInt64LittleEndian(header[4..], at.Ticks);
        BinaryPrimitives.WriteInt16LittleEndian(header[12..], (short)at.TotalOffsetMinutes);
        header[14] = (byte)leg;
        header[15] = (byte)direction;
        header[16] = (byte)transport;
        WriteEndPoint(header.Slice(LocalAt, EndPointSize), local);
        WriteEndPoint(header.Slice(LocalAt + EndPointSize, EndPointSize), remote);
    }

    public static CapturedMessage Read(ReadOnlySpan<byte> header) => new(
        new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(header[4..]), TimeSpan.FromMinutes(BinaryPrimitives.ReadInt16LittleEndian(header[12..]))),
        (LegSide)header[14],
        (SipDirection)header[15],
        (SipTransportProtocol)header[16],
        BinaryPrimitives.ReadInt32LittleEndian(header));

    /// <summary>
    /// The local (or remote) end point of the header as <see cref="IPEndPoint.ToString"/> writes it, in UTF-8, written into
    /// <paramref name="utf8"/> (at least <see cref="MaxEndPointText"/> bytes).
    /// </summary>
    public static ReadOnlySpan<byte> EndPointText(ReadOnlySpan<byte> header, bool remote, Span<byte> utf8)
    {
        var endPoint = header.Slice(remote ? LocalAt + EndPointSize : LocalAt, EndPointSize);
        var address = endPoint.Slice(1, endPoint[0]);
        var written = 0;
        if (address.Length == 4)
        {
            foreach (var part in address)
            {
                Utf8Formatter.TryFormat(part, utf8[written..], out var digits);
                written += digits;
                utf8[written++] = (byte)'.';
            }

            written--;
        }
        else
        {
            utf8[written++] = (byte)'[';
            new IPAddress(address, BinaryPrimitives.ReadUInt32LittleEndian(endPoint[17..])).TryFormat(utf8[written..], out var text);
            written += text;
            utf8[written++] = (byte)']';
        }

        utf8[written++] = (byte)':';
        Utf8Formatter.TryFormat(BinaryPrimitives.ReadUInt16LittleEndian(endPoint[21..]), utf8[written..], out var port);
        return utf8[..(written + port)];
    }

    private static void WriteEndPoint(Span<byte> bytes, IPEndPoint endPoint)
    {
        endPoint.Address.TryWriteBytes(bytes.Slice(1, 16), out var written);
        bytes[0] = (byte)written;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[17..],
            endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? (uint)endPoint.Address.ScopeId : 0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes[21..], (ushort)endPoint.Port);
    }
}
