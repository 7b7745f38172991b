using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Trunk.Sip.Tests.Transport;

internal static class LoopbackClient
{
    public static string Options(string via, string callId = "t-1") =>
        $"OPTIONS sip:trunk@127.0.0.1 SIP/2.0\r\nVia: {via}\r\nMax-Forwards: 70\r\nFrom: <sip:a@client.invalid>;tag=1\r\n" +
        $"To: <sip:trunk@127.0.0.1>\r\nCall-ID: {callId}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";

    public static async Task<string> ReceiveAsync(UdpClient client, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var result = await client.ReceiveAsync(cts.Token);
        return Encoding.ASCII.GetString(result.Buffer);
    }

    public static async Task SendAsync(UdpClient client, string text, IPEndPoint to) =>
        await client.SendAsync(Encoding.ASCII.GetBytes(text), to);

    /// <summary>Polls a condition (no fixed sleeps): true as soon as it holds, false after the timeout.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }
}
