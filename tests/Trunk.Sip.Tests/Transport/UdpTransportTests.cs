using System.Net;
using System.Net.Sockets;
using Trunk.Sip.Tests.Interop;
using Trunk.Sip.Transactions;
using Trunk.Sip.Transport;
using static Trunk.Sip.Tests.Transport.LoopbackClient;

namespace Trunk.Sip.Tests.Transport;

public sealed class UdpTransportTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task When_a_request_asks_for_rport_Should_answer_to_the_source_with_received_and_rport()
    {
        await using var stack = Stacks.AnsweringUas();
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)client.Client.LocalEndPoint!).Port;

        await SendAsync(client, Options("SIP/2.0/UDP client.invalid:5099;branch=z9hG4bK-r1;rport"), stack.Transport.UdpEndPoints[0]);
        var response = await ReceiveAsync(client, Wait);

        Assert.StartsWith("SIP/2.0 200", response, StringComparison.Ordinal);
        Assert.Contains($"Via: SIP/2.0/UDP client.invalid:5099;branch=z9hG4bK-r1;rport={port};received=127.0.0.1", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_malformed_request_can_be_answered_Should_reply_400_with_the_reason()
    {
        await using var stack = Stacks.AnsweringUas();
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var bad = Options("SIP/2.0/UDP client.invalid;branch=z9hG4bK-m1;rport").Replace("Content-Length: 0", "Content-Length: 50", StringComparison.Ordinal);

        await SendAsync(client, bad, stack.Transport.UdpEndPoints[0]);
        var response = await ReceiveAsync(client, Wait);

        Assert.StartsWith("SIP/2.0 400 Content-Length larger than message", response, StringComparison.Ordinal);
        Assert.Equal(1, stack.Transport.Counters.MalformedAnswered);
    }

    [Fact]
    public async Task When_garbage_arrives_Should_drop_and_count_it_and_keep_receiving()
    {
        await using var stack = Stacks.AnsweringUas();
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        await SendAsync(client, "hello\r\n\r\n", stack.Transport.UdpEndPoints[0]);
        await SendAsync(client, "SIP/2.0 abc\r\nVia: x\r\n\r\n", stack.Transport.UdpEndPoints[0]);
        Assert.True(await EventuallyAsync(() => stack.Transport.Counters.MalformedDropped == 2, Wait));

        await SendAsync(client, Options("SIP/2.0/UDP client.invalid;branch=z9hG4bK-g1;rport"), stack.Transport.UdpEndPoints[0]);
        Assert.StartsWith("SIP/2.0 200", await ReceiveAsync(client, Wait), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_listening_on_ipv6_loopback_Should_answer_over_ipv6()
    {
        await using var stack = Stacks.Create(IPAddress.IPv6Loopback);
        stack.OnRequest = r =>
        {
            r.Respond(200);
            return Task.CompletedTask;
        };
        stack.Start();
        using var client = new UdpClient(new IPEndPoint(IPAddress.IPv6Loopback, 0));

        await SendAsync(client, Options("SIP/2.0/UDP [::1]:5099;branch=z9hG4bK-v6;rport"), stack.Transport.UdpEndPoints[0]);
        var response = await ReceiveAsync(client, Wait);

        Assert.StartsWith("SIP/2.0 200", response, StringComparison.Ordinal);
        Assert.Contains("received=::1", response, StringComparison.Ordinal);
        Assert.StartsWith("[::1]:", stack.Transport.SentBy(SipTransportProtocol.Udp), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_one_source_floods_Should_still_answer_another_source()
    {
        await using var stack = new SipStack(new SipStackOptions
        {
            Transport = new SipTransportOptions { Udp = [new IPEndPoint(IPAddress.Loopback, 0)], PerSourceQueueCapacity = 32, Workers = 1 },
        })
        {
            OnRequest = r =>
            {
                r.Respond(200);
                return Task.CompletedTask;
            },
        };
        stack.Start();
        var target = stack.Transport.UdpEndPoints[0];
        using var flooder = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        using var caller = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        var flood = Task.Run(async () =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                await SendAsync(flooder, Options($"SIP/2.0/UDP flood.invalid;branch=z9hG4bK-f{i};rport", $"flood-{i}"), target);
            }
        });
        await SendAsync(caller, Options("SIP/2.0/UDP client.invalid;branch=z9hG4bK-c1;rport", "caller"), target);

        Assert.StartsWith("SIP/2.0 200", await ReceiveAsync(caller, Wait), StringComparison.Ordinal);
        await flood;
        Assert.True(stack.Transport.Counters.Received > 0);
    }
}
