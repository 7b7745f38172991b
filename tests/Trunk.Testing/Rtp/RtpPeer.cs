using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Trunk.Testing.Rtp;

/// <summary>A received RTP packet, parsed by the test itself (fixed header, no CSRC or extension expected).</summary>
public sealed record ReceivedRtp(int PayloadType, bool Marker, ushort Sequence, uint Timestamp, uint Ssrc, byte[] Payload, IPEndPoint From);

/// <summary>A phone or gateway on loopback: one UDP socket that sends RTP to the relay and reads what the relay sends it.</summary>
public sealed class RtpPeer : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private ushort _sequence = 1000;
    private uint _timestamp = 160_000;

    public RtpPeer(string address = "127.0.0.1", int port = 0)
    {
        _socket.Bind(new IPEndPoint(IPAddress.Parse(address), port));
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public int Port => LocalEndPoint.Port;

    public uint Ssrc { get; } = (uint)Random.Shared.Next();

    public void SendRaw(IPEndPoint to, byte[] datagram) => _socket.SendTo(datagram, to);

    /// <summary>Sends one packet with the next sequence number; the timestamp advances by the payload's length (8 kHz, one byte a sample).</summary>
    public void Send(IPEndPoint to, int payloadType, byte[] payload, bool marker = false, bool advanceTimestamp = true)
    {
        var packet = new byte[12 + payload.Length];
        packet[0] = 0x80;
        packet[1] = (byte)((marker ? 0x80 : 0) | payloadType);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), _sequence++);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), _timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), Ssrc);
        payload.CopyTo(packet, 12);
        _socket.SendTo(packet, to);
        if (advanceTimestamp)
        {
            _timestamp += (uint)payload.Length;
        }
    }

    /// <summary>Skips sequence numbers, as a lost packet would.</summary>
    public void Skip(int packets) => _sequence += (ushort)packets;

    public ReceivedRtp? Receive(TimeSpan timeout)
    {
        _socket.ReceiveTimeout = (int)Math.Max(1, timeout.TotalMilliseconds);
        var buffer = new byte[2048];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        try
        {
            var length = _socket.ReceiveFrom(buffer, ref from);
            return new ReceivedRtp(buffer[1] & 0x7F, (buffer[1] & 0x80) != 0, BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(2)),
                BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(4)), BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(8)),
                buffer[12..length], (IPEndPoint)from);
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.TimedOut)
        {
            return null;
        }
    }

    /// <summary>Reads until <paramref name="match"/> accepts a packet or the time is up.</summary>
    public ReceivedRtp? ReceiveUntil(Func<ReceivedRtp, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Receive(deadline - DateTime.UtcNow) is { } packet && match(packet))
            {
                return packet;
            }
        }

        return null;
    }

    /// <summary>Drops whatever is queued.</summary>
    public void Drain()
    {
        while (Receive(TimeSpan.FromMilliseconds(20)) is not null)
        {
        }
    }

    public void Dispose() => _socket.Dispose();
}
