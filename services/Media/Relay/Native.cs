using System.Net;
using System.Runtime.InteropServices;

namespace Trunk.Media.Relay;

/// <summary>
/// The Linux calls the relay makes itself: one epoll set per receive loop, recvmmsg/sendto with MSG_DONTWAIT on the
/// sockets' descriptors, so that a packet costs two system calls and no managed allocation (Socket's own async path
/// costs a thread-pool hop per packet). Sockets are still created, bound and closed through <see cref="System.Net.Sockets.Socket"/>.
/// </summary>
internal static unsafe partial class Native
{
    public const uint EpollIn = 0x001;
    public const int EpollCtlAdd = 1;
    public const int EpollCtlDel = 2;
    public const int MsgDontWait = 0x40;
    public const int SockaddrInLength = 16;
    private const ushort AfInet = 2;

    public static bool IsSupported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_ctl(int epfd, int op, int fd, EpollEvent* epollEvent);

    [LibraryImport("libc")]
    public static partial int epoll_wait(int epfd, EpollEvent* events, int maxEvents, int timeout);

    [LibraryImport("libc")]
    public static partial int recvmmsg(int fd, MessageHeader* messages, uint count, int flags, void* timeout);

    [LibraryImport("libc")]
    public static partial nint sendto(int fd, byte* buffer, nint length, int flags, byte* address, int addressLength);

    [LibraryImport("libc")]
    public static partial int close(int fd);

    /// <summary>An IPv4 endpoint packed in a long (address in network order above the port), 0 for none, so that it is read and written atomically.</summary>
    public static long Pack(byte* sockaddrIn) =>
        ((long)*(uint*)(sockaddrIn + 4) << 16) | (uint)((sockaddrIn[2] << 8) | sockaddrIn[3]);

    public static long Pack(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Span<byte> bytes = stackalloc byte[4];
        if (!endpoint.Address.MapToIPv4().TryWriteBytes(bytes, out _))
        {
            return 0;
        }

        return ((long)MemoryMarshal.Read<uint>(bytes) << 16) | (uint)endpoint.Port;
    }

    public static IPEndPoint? Unpack(long packed)
    {
        if (packed == 0)
        {
            return null;
        }

        var address = (uint)(packed >> 16);
        Span<byte> bytes = stackalloc byte[4];
        MemoryMarshal.Write(bytes, in address);
        return new IPEndPoint(new IPAddress(bytes), (int)(packed & 0xFFFF));
    }

    /// <summary>True when the two packed endpoints share their address (a port change behind the same NAT or host).</summary>
    public static bool SameAddress(long a, long b) => (a >> 16) == (b >> 16);

    public static void WriteSockaddr(byte* sockaddrIn, long packed)
    {
        *(ushort*)sockaddrIn = AfInet;
        var port = (ushort)(packed & 0xFFFF);
        sockaddrIn[2] = (byte)(port >> 8);
        sockaddrIn[3] = (byte)port;
        *(uint*)(sockaddrIn + 4) = (uint)(packed >> 16);
        *(ulong*)(sockaddrIn + 8) = 0;
    }

    /// <summary>Sends a datagram to a packed endpoint; false when the kernel refused it (buffer full, no route).</summary>
    public static bool SendTo(int fd, byte* buffer, int length, long destination)
    {
        var address = stackalloc byte[SockaddrInLength];
        WriteSockaddr(address, destination);
        return sendto(fd, buffer, length, MsgDontWait, address, SockaddrInLength) == length;
    }
}

/// <summary>struct iovec.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IoVector
{
    public byte* Base;
    public nuint Length;
}

/// <summary>struct mmsghdr on x86-64: a struct msghdr (56 bytes) and the length the kernel received.</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
internal unsafe struct MessageHeader
{
    [FieldOffset(0)]
    public byte* Name;
    [FieldOffset(8)]
    public uint NameLength;
    [FieldOffset(16)]
    public IoVector* Vector;
    [FieldOffset(24)]
    public nuint VectorLength;
    [FieldOffset(56)]
    public uint Length;
}

/// <summary>struct epoll_event; x86-64 declares it packed (12 bytes).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal struct EpollEvent
{
    public uint Events;
    public ulong Data;
}
