using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Sip.Transport;

namespace Trunk.Signaling.Tracing;

/// <summary>
/// What a traced message crossed the wire between, and when. It is kept as <see cref="Size"/> bytes in the pooled chunk
/// right before the message's wire form (<see cref="SipTraceBuffer"/>), not as an object or an array slot: a live call's
/// trace is then bytes the GC neither copies nor scans, however many messages it holds.
/// </summary>
internal readonly record struct CapturedMessage(DateTimeOffset At, LegSide Leg, SipDirection Direction, SipTransportProtocol Transport,
    IPEndPoint Local, IPEndPoint Remote, int Length)
{
    /// <summary>Length, clock ticks, offset, leg, direction, transport, and the two end points.</summary>
    public const int Size = sizeof(int) + sizeof(long) + sizeof(short) + 3 + (2 * EndPointSize);

    /// <summary>Address length (4 or 16), the address, its IPv6 scope and the port.</summary>
    private const int EndPointSize = 1 + 16 + sizeof(uint) + sizeof(ushort);

    public void Write(Span<byte> bytes)
    {
        BinaryPrimitives.WriteInt32LittleEndian(bytes, Length);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[4..], At.Ticks);
        BinaryPrimitives.WriteInt16LittleEndian(bytes[12..], (short)At.TotalOffsetMinutes);
        bytes[14] = (byte)Leg;
        bytes[15] = (byte)Direction;
        bytes[16] = (byte)Transport;
        WriteEndPoint(bytes.Slice(17, EndPointSize), Local);
        WriteEndPoint(bytes.Slice(17 + EndPointSize, EndPointSize), Remote);
    }

    public static CapturedMessage Read(ReadOnlySpan<byte> bytes) => new(
        new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(bytes[4..]), TimeSpan.FromMinutes(BinaryPrimitives.ReadInt16LittleEndian(bytes[12..]))),
        (LegSide)bytes[14],
        (SipDirection)bytes[15],
        (SipTransportProtocol)bytes[16],
        ReadEndPoint(bytes.Slice(17, EndPointSize)),
        ReadEndPoint(bytes.Slice(17 + EndPointSize, EndPointSize)),
        BinaryPrimitives.ReadInt32LittleEndian(bytes));

    private static void WriteEndPoint(Span<byte> bytes, IPEndPoint endPoint)
    {
        endPoint.Address.TryWriteBytes(bytes.Slice(1, 16), out var written);
        bytes[0] = (byte)written;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[17..],
            endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? (uint)endPoint.Address.ScopeId : 0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes[21..], (ushort)endPoint.Port);
    }

    private static IPEndPoint ReadEndPoint(ReadOnlySpan<byte> bytes)
    {
        var address = bytes.Slice(1, bytes[0]);
        return new IPEndPoint(
            address.Length == 16 ? new IPAddress(address, BinaryPrimitives.ReadUInt32LittleEndian(bytes[17..])) : new IPAddress(address),
            BinaryPrimitives.ReadUInt16LittleEndian(bytes[21..]));
    }
}
