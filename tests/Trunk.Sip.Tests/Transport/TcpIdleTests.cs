using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Trunk.Sip.Transactions;
using Trunk.Sip.Transport;
using static Trunk.Sip.Tests.Transport.LoopbackClient;

namespace Trunk.Sip.Tests.Transport;

public sealed class TcpIdleTests
{
    [Fact]
    public async Task When_a_connection_stays_idle_past_the_limit_Should_close_it()
    {
        var clock = new FakeTimeProvider();
        await using var stack = new SipStack(new SipStackOptions
        {
            Transport = new SipTransportOptions { Tcp = [new IPEndPoint(IPAddress.Loopback, 0)], TcpIdleTimeout = TimeSpan.FromMinutes(2) },
        }, clock);
        stack.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(stack.Transport.TcpEndPoints[0]);
        Assert.True(await EventuallyAsync(() => stack.Transport.TcpConnections == 1, TimeSpan.FromSeconds(5)));

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, stack.Transport.TcpConnections);
        clock.Advance(TimeSpan.FromMinutes(2));

        Assert.True(await EventuallyAsync(() => stack.Transport.TcpConnections == 0, TimeSpan.FromSeconds(5)));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        Assert.Equal(0, await client.GetStream().ReadAsync(new byte[4], cts.Token));
    }
}
