using System.Runtime.InteropServices;
using Trunk.Media.Relay;

namespace Trunk.Media.Bench;

/// <summary>sendmmsg on x86-64 Linux (the relay's <see cref="Native"/> has recvmmsg and the structures): up to 64 datagrams a system call.</summary>
internal static unsafe partial class Mmsg
{
    public const int Batch = 64;
    public const int WaitForOne = 0x10000;

    [LibraryImport("libc")]
    public static partial int sendmmsg(int fd, MessageHeader* messages, uint count, int flags);
}
