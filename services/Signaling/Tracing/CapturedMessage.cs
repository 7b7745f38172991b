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
    public const int Size = RemoteAt + EndPointSize;

    /// <summary>The longest end point text: "[", an IPv6 address with its scope, "]:" and a port.</summary>
    public const int MaxEndPointText = 72;

    // Where each field lies in the header, little-endian.
    private const int TicksAt = sizeof(int);
    private const int OffsetAt = TicksAt + sizeof(long);
    private const int LegAt = OffsetAt + sizeof(short);
    private const int DirectionAt = LegAt + 1;
    private const int TransportAt = DirectionAt + 1;
    private const int LocalAt = TransportAt + 1;
    private const int RemoteAt = LocalAt + EndPointSize;

    // An end point: the address's length (4 or 16), the address, its IPv6 scope and the port.
    private const int AddressAt = 1;
    private const int ScopeAt = AddressAt + 16;
    private const int PortAt = ScopeAt + sizeof(uint);
    private const int EndPointSize = PortAt + sizeof(ushort);

    public static void Write(Span<byte> header, DateTimeOffset at, LegSide leg, SipDirection direction, SipTransportProtocol transport,
        IPEndPoint local, IPEndPoint remote, int length)
    {
        BinaryPrimitives.WriteInt32LittleEndian(header, length);
        BinaryPrimitives.WriteInt64LittleEndian(header[TicksAt..], at.Ticks);
        BinaryPrimitives.WriteInt16LittleEndian(header[OffsetAt..], (short)at.TotalOffsetMinutes);
        header[LegAt] = (byte)leg;
        header[DirectionAt] = (byte)direction;
        header[TransportAt] = (byte)transport;
        WriteEndPoint(header.Slice(LocalAt, EndPointSize), local);
        WriteEndPoint(header.Slice(RemoteAt, EndPointSize), remote);
    }

    public static CapturedMessage Read(ReadOnlySpan<byte> header) => new(
        new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(header[TicksAt..]),
            TimeSpan.FromMinutes(BinaryPrimitives.ReadInt16LittleEndian(header[OffsetAt..]))),
        (LegSide)header[LegAt],
        (SipDirection)header[DirectionAt],
        (SipTransportProtocol)header[TransportAt],
        BinaryPrimitives.ReadInt32LittleEndian(header));

    /// <summary>
    /// The local (or remote) end point of the header as <see cref="IPEndPoint.ToString"/> writes it, in UTF-8, written into
    /// <paramref name="utf8"/> (at least <see cref="MaxEndPointText"/> bytes).
    /// </summary>
    public static ReadOnlySpan<byte> EndPointText(ReadOnlySpan<byte> header, bool remote, Span<byte> utf8)
    {
        var endPoint = header.Slice(remote ? RemoteAt : LocalAt, EndPointSize);
        var address = endPoint.Slice(AddressAt, endPoint[0]);
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
            new IPAddress(address, BinaryPrimitives.ReadUInt32LittleEndian(endPoint[ScopeAt..])).TryFormat(utf8[written..], out var text);
            written += text;
            utf8[written++] = (byte)']';
        }

        utf8[written++] = (byte)':';
        Utf8Formatter.TryFormat(BinaryPrimitives.ReadUInt16LittleEndian(endPoint[PortAt..]), utf8[written..], out var port);
        return utf8[..(written + port)];
    }

    private static void WriteEndPoint(Span<byte> bytes, IPEndPoint endPoint)
    {
        endPoint.Address.TryWriteBytes(bytes[AddressAt..ScopeAt], out var written);
        bytes[0] = (byte)written;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[ScopeAt..],
            endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? (uint)endPoint.Address.ScopeId : 0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes[PortAt..], (ushort)endPoint.Port);
    }
}
