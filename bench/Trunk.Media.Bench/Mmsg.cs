using System.Runtime.InteropServices;

namespace Trunk.Media.Bench;

/// <summary>sendmmsg/recvmmsg on x86-64 Linux: up to 64 datagrams a system call.</summary>
internal static unsafe partial class Mmsg
{
    public const int Batch = 64;
    public const int SockaddrLength = 16;
    public const int WaitForOne = 0x10000;

    [LibraryImport("libc")]
    public static partial int sendmmsg(int fd, MessageHeader* messages, uint count, int flags);

    [LibraryImport("libc")]
    public static partial int recvmmsg(int fd, MessageHeader* messages, uint count, int flags, void* timeout);

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    /// <summary>struct mmsghdr: a struct msghdr (56 bytes) and the length the kernel sent or received.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 64)]
    public struct MessageHeader
    {
        [FieldOffset(0)]
        public byte* Name;
        [FieldOffset(8)]
        public uint NameLength;
        [FieldOffset(16)]
        public IoVector* Vector;
        [FieldOffset(24)]
        public nuint VectorLength;
        [FieldOffset(32)]
        public void* Control;
        [FieldOffset(40)]
        public nuint ControlLength;
        [FieldOffset(48)]
        public int Flags;
        [FieldOffset(56)]
        public uint Length;
    }

    public static void WriteSockaddr(byte* address, System.Net.IPEndPoint endpoint)
    {
        *(ushort*)address = 2;
        address[2] = (byte)(endpoint.Port >> 8);
        address[3] = (byte)endpoint.Port;
        endpoint.Address.TryWriteBytes(new Span<byte>(address + 4, 4), out _);
        *(ulong*)(address + 8) = 0;
    }
}
