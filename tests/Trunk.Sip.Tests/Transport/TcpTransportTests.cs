using System.Net.Sockets;
using System.Text;
using Trunk.Sip.Tests.Interop;
using Trunk.Sip.Transport;
using static Trunk.Sip.Tests.Transport.LoopbackClient;

namespace Trunk.Sip.Tests.Transport;

public sealed class TcpTransportTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private static async Task<List<string>> ReadMessagesAsync(NetworkStream stream, int count)
    {
        var framer = new StreamFramer(65536);
        var messages = new List<string>();
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(Wait);
        while (messages.Count < count)
        {
            var read = await stream.ReadAsync(buffer, cts.Token);
            Assert.NotEqual(0, read);
            framer.Append(buffer.AsSpan(0, read));
            while (framer.TryRead(out var message) is var kind && kind != FrameKind.NeedMore)
            {
                if (kind == FrameKind.Message)
                {
                    messages.Add(Encoding.ASCII.GetString(message));
                }
            }
        }

        return messages;
    }

    [Fact]
    public async Task When_messages_arrive_split_and_coalesced_Should_answer_each_once()
    {
        await using var stack = Stacks.AnsweringUas();
        using var client = new TcpClient();
        await client.ConnectAsync(stack.Transport.TcpEndPoints[0]);
        var stream = client.GetStream();
        var first = Encoding.ASCII.GetBytes(Options("SIP/2.0/TCP client.invalid;branch=z9hG4bK-t1", "tcp-1"));

        await stream.WriteAsync(first.AsMemory(0, 20));
        await stream.FlushAsync();
        await Task.Delay(20);
        await stream.WriteAsync(first.AsMemory(20));
        var both = Options("SIP/2.0/TCP client.invalid;branch=z9hG4bK-t2", "tcp-2") + Options("SIP/2.0/TCP client.invalid;branch=z9hG4bK-t3", "tcp-3");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(both));

        var responses = await ReadMessagesAsync(stream, 3);
        Assert.All(responses, r => Assert.StartsWith("SIP/2.0 200", r, StringComparison.Ordinal));
        Assert.Equal(["tcp-1", "tcp-2", "tcp-3"], responses.Select(r => r.Split("Call-ID: ")[1].Split("\r\n")[0]).Order());
        Assert.Equal(1, stack.Transport.TcpConnections);
    }

    [Fact]
    public async Task When_a_message_passes_the_size_limit_Should_close_the_connection()
    {
        await using var stack = Stacks.AnsweringUas();
        using var client = new TcpClient();
        await client.ConnectAsync(stack.Transport.TcpEndPoints[0]);
        var stream = client.GetStream();

        await stream.WriteAsync(Encoding.ASCII.GetBytes("INVITE sip:a@b SIP/2.0\r\nContent-Length: 70000\r\n\r\n"));
        using var cts = new CancellationTokenSource(Wait);
        var read = await stream.ReadAsync(new byte[16], cts.Token);

        Assert.Equal(0, read);
        Assert.Equal(1, stack.Transport.Counters.Oversize);
        Assert.True(await EventuallyAsync(() => stack.Transport.TcpConnections == 0, Wait));
    }

    [Fact]
    public async Task When_a_double_crlf_ping_arrives_Should_answer_a_single_crlf_pong()
    {
        await using var stack = Stacks.AnsweringUas();
        using var client = new TcpClient();
        await client.ConnectAsync(stack.Transport.TcpEndPoints[0]);
        var stream = client.GetStream();

        await stream.WriteAsync("\r\n\r\n"u8.ToArray());
        var buffer = new byte[8];
        using var cts = new CancellationTokenSource(Wait);
        var read = await stream.ReadAsync(buffer, cts.Token);

        Assert.Equal("\r\n", Encoding.ASCII.GetString(buffer, 0, read));
        Assert.Equal(1, stack.Transport.Counters.KeepAlives);
    }

    [Fact]
    public async Task When_the_stack_sends_twice_to_one_peer_Should_reuse_the_connection()
    {
        await using var server = Stacks.AnsweringUas();
        await using var stack = Stacks.Create();
        stack.Start();
        var destination = new SipDestination(SipTransportProtocol.Tcp, server.Transport.TcpEndPoints[0]);

        for (var i = 0; i < 2; i++)
        {
            var options = Trunk.Sip.Dialogs.InitialRequests.Create("OPTIONS", Trunk.Sip.Messages.SipUri.Parse($"sip:trunk@{destination.EndPoint};transport=tcp"),
                Trunk.Sip.Messages.NameAddress.Parse("<sip:a@127.0.0.1>"), stack.ContactUri(SipTransportProtocol.Tcp));
            Assert.Equal(200, (await stack.SendAsync(options, destination)).StatusCode);
        }

        Assert.Equal(1, stack.Transport.TcpConnections);
        Assert.Equal(1, server.Transport.TcpConnections);
    }

    [Fact]
    public async Task When_a_connection_is_closed_by_two_closers_at_once_Should_close_it_once_without_error()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync((System.Net.IPEndPoint)listener.LocalEndpoint);
        var accepted = await listener.AcceptSocketAsync();
        var connection = new TcpConnection(accepted, (System.Net.IPEndPoint)listener.LocalEndpoint, 65536, TimeProvider.System);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () => await connection.DisposeAsync())));
        await connection.DisposeAsync();

        Assert.Equal(0, await client.GetStream().ReadAsync(new byte[16]).AsTask().WaitAsync(Wait));
    }
}
