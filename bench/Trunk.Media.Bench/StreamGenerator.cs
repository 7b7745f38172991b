using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Trunk.Media.Relay;

namespace Trunk.Media.Bench;

/// <summary>What one run of the generator measured.</summary>
internal sealed record StreamResult(long Sent, long Received, double LatencyP50Ms, double LatencyP99Ms, TimeSpan Elapsed, long GeneratorDrops)
{
    public double LossPercent => Sent == 0 ? 0 : Math.Max(0, Sent - Received) * 100.0 / Sent;
}

/// <summary>
/// The callers and endpoints of N calls: every call's caller sends 20 ms PCMU (50 packets/s) from one shared caller
/// socket to its relay port, and its endpoint does the same from the shared endpoint socket, so that datagrams go out
/// 64 at a time (sendmmsg) and come back 64 at a time (recvmmsg). Each payload carries its send time, so that what
/// comes back through the relay gives the one-way latency; loss is what was sent minus what came back.
/// </summary>
internal sealed unsafe class StreamGenerator : IDisposable
{
    private const int PayloadBytes = 160;
    private const int PacketBytes = 12 + PayloadBytes;
    private const int PacketsPerSecond = 50;
    private const long HistogramMicroseconds = 1_000_000;

    private readonly Socket _callers = Open();
    private readonly Socket _endpoints = Open();

    public IPEndPoint CallerAddress => (IPEndPoint)_callers.LocalEndPoint!;

    public IPEndPoint EndpointAddress => (IPEndPoint)_endpoints.LocalEndPoint!;

    /// <summary>Sends every stream for <paramref name="duration"/>, then waits a second for the stragglers.</summary>
    public StreamResult Run(IReadOnlyList<(IPEndPoint CallerSendsTo, IPEndPoint EndpointSendsTo)> calls, TimeSpan duration)
    {
        var histograms = new[] { new long[HistogramMicroseconds], new long[HistogramMicroseconds] };
        var received = new long[2];
        var stop = 0;
        var receivers = new[] { _callers, _endpoints }.Select((socket, i) => new Thread(() =>
            received[i] = Receive((int)socket.Handle, histograms[i], ref stop)) { Name = $"receiver-{i}", IsBackground = true }).ToList();
        receivers.ForEach(t => t.Start());
        var dropsBefore = SocketDrops();
        var watch = Stopwatch.StartNew();
        var sent = Send(calls, duration);
        var elapsed = watch.Elapsed;
        Thread.Sleep(1000);
        Volatile.Write(ref stop, 1);
        receivers.ForEach(t => t.Join());
        var merged = new long[HistogramMicroseconds];
        for (var i = 0; i < merged.Length; i++)
        {
            merged[i] = histograms[0][i] + histograms[1][i];
        }

        return new StreamResult(sent, received[0] + received[1], Percentile(merged, 0.50), Percentile(merged, 0.99), elapsed, SocketDrops() - dropsBefore);
    }

    /// <summary>Datagrams the kernel dropped at the generator's own sockets (the last column of /proc/net/udp): loss that is not the relay's.</summary>
    private long SocketDrops()
    {
        var ports = new[] { CallerAddress.Port, EndpointAddress.Port };
        long drops = 0;
        foreach (var line in File.ReadLines("/proc/net/udp").Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var local = fields[1].Split(':');
            if (ports.Contains(int.Parse(local[1], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture)))
            {
                drops += long.Parse(fields[^1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return drops;
    }

    public void Dispose()
    {
        _callers.Dispose();
        _endpoints.Dispose();
    }

    private static Socket Open()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveBufferSize = 4 * 1024 * 1024;
        socket.SendBufferSize = 4 * 1024 * 1024;
        socket.ReceiveTimeout = 200;
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private long Send(IReadOnlyList<(IPEndPoint CallerSendsTo, IPEndPoint EndpointSendsTo)> calls, TimeSpan duration)
    {
        var streams = calls.Count * 2;
        var addresses = (byte*)NativeMemory.AllocZeroed((nuint)(streams * Native.SockaddrInLength));
        var sequences = new ushort[streams];
        var ssrcs = new uint[streams];
        for (var s = 0; s < streams; s++)
        {
            Native.WriteSockaddr(addresses + (s * Native.SockaddrInLength), Native.Pack(s % 2 == 0 ? calls[s / 2].CallerSendsTo : calls[s / 2].EndpointSendsTo));
            ssrcs[s] = (uint)Random.Shared.Next();
        }

        var batches = new[] { new SendBatch(), new SendBatch() };
        var fds = new[] { (int)_callers.Handle, (int)_endpoints.Handle };
        var rate = (double)streams * PacketsPerSecond;
        var total = (long)(rate * duration.TotalSeconds);
        long sent = 0;
        var start = Stopwatch.GetTimestamp();
        while (sent < total)
        {
            var due = Math.Min(total, (long)(Stopwatch.GetElapsedTime(start).TotalSeconds * rate));
            for (; sent < due; sent++)
            {
                var stream = (int)(sent % streams);
                var side = stream % 2;
                var batch = batches[side];
                var packet = batch.Next(addresses + (stream * Native.SockaddrInLength));
                packet[0] = 0x80;
                packet[1] = 0;
                var sequence = sequences[stream]++;
                BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(packet + 2, 2), sequence);
                BinaryPrimitives.WriteUInt32BigEndian(new Span<byte>(packet + 4, 4), (uint)sequence * PayloadBytes);
                BinaryPrimitives.WriteUInt32BigEndian(new Span<byte>(packet + 8, 4), ssrcs[stream]);
                *(long*)(packet + 12) = Stopwatch.GetTimestamp();
                if (batch.Full)
                {
                    batch.Flush(fds[side]);
                }
            }

            batches[0].Flush(fds[0]);
            batches[1].Flush(fds[1]);
            Thread.Sleep(1);
        }

        NativeMemory.Free(addresses);
        return sent;
    }

    private static long Receive(int fd, long[] histogram, ref int stop)
    {
        var buffers = (byte*)NativeMemory.Alloc(Mmsg.Batch * 2048);
        var vectors = stackalloc IoVector[Mmsg.Batch];
        var headers = stackalloc MessageHeader[Mmsg.Batch];
        long count = 0;
        while (Volatile.Read(ref stop) == 0)
        {
            for (var i = 0; i < Mmsg.Batch; i++)
            {
                vectors[i] = new IoVector { Base = buffers + (i * 2048), Length = 2048 };
                headers[i] = new MessageHeader { Vector = vectors + i, VectorLength = 1 };
            }

            // MSG_WAITFORONE: block for the first datagram only (or the socket's 200 ms timeout), then take what is queued.
            var got = Native.recvmmsg(fd, headers, Mmsg.Batch, Mmsg.WaitForOne, null);
            var now = Stopwatch.GetTimestamp();
            for (var i = 0; i < got; i++)
            {
                if (headers[i].Length < PacketBytes)
                {
                    continue;
                }

                var sentAt = *(long*)(buffers + (i * 2048) + 12);
                var micros = (now - sentAt) * 1_000_000 / Stopwatch.Frequency;
                histogram[Math.Clamp(micros, 0, HistogramMicroseconds - 1)]++;
                count++;
            }
        }

        NativeMemory.Free(buffers);
        return count;
    }

    private static double Percentile(long[] histogram, double quantile)
    {
        var total = histogram.Sum();
        if (total == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(total * quantile);
        long seen = 0;
        for (var i = 0; i < histogram.Length; i++)
        {
            seen += histogram[i];
            if (seen >= rank)
            {
                return i / 1000.0;
            }
        }

        return histogram.Length / 1000.0;
    }

    /// <summary>Up to 64 datagrams for one socket, sent with one sendmmsg.</summary>
    private sealed class SendBatch
    {
        private readonly byte* _packets = (byte*)NativeMemory.AllocZeroed(Mmsg.Batch * PacketBytes);
        private readonly IoVector* _vectors = (IoVector*)NativeMemory.AllocZeroed((nuint)(Mmsg.Batch * sizeof(IoVector)));
        private readonly MessageHeader* _headers = (MessageHeader*)NativeMemory.AllocZeroed((nuint)(Mmsg.Batch * sizeof(MessageHeader)));
        private int _count;

        public bool Full => _count == Mmsg.Batch;

        public byte* Next(byte* address)
        {
            var packet = _packets + (_count * PacketBytes);
            _vectors[_count] = new IoVector { Base = packet, Length = PacketBytes };
            _headers[_count] = new MessageHeader { Name = address, NameLength = Native.SockaddrInLength, Vector = _vectors + _count, VectorLength = 1 };
            _count++;
            return packet;
        }

        public void Flush(int fd)
        {
            var offset = 0;
            while (offset < _count)
            {
                var sent = Mmsg.sendmmsg(fd, _headers + offset, (uint)(_count - offset), 0);
                if (sent <= 0)
                {
                    break;
                }

                offset += sent;
            }

            _count = 0;
        }
    }
}
