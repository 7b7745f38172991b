using Trunk.Testing;
using Trunk.Sip.Transport;

namespace Trunk.Sip.Tests.Interop;

/// <summary>The stack's UAS answers SIPp's built-in <c>uac</c> scenario (INVITE, ACK, BYE).</summary>
public sealed class SippUacTests
{
    private const int Calls = 20;

    [Theory]
    [InlineData(SipTransportProtocol.Udp)]
    [InlineData(SipTransportProtocol.Tcp)]
    public async Task When_sipp_uac_calls_the_stack_Should_complete_every_call(SipTransportProtocol protocol)
    {
        await using var stack = Stacks.AnsweringUas();
        var port = protocol == SipTransportProtocol.Udp ? stack.Transport.UdpEndPoints[0].Port : stack.Transport.TcpEndPoints[0].Port;
        var transport = protocol == SipTransportProtocol.Udp ? "u1" : "t1";

        await using var sipp = Sipp.Start("-sn", "uac", $"127.0.0.1:{port}", "-t", transport, "-i", "127.0.0.1",
            "-p", FreePort.UdpAndTcp().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-m", Calls.ToString(System.Globalization.CultureInfo.InvariantCulture), "-r", "50", "-d", "20");
        var (exitCode, output) = await sipp.WaitAsync(TimeSpan.FromSeconds(40));

        Assert.True(exitCode == 0, $"sipp exit {exitCode}: {output}");
        Assert.Matches($@"Successful call\s+\|\s+\d+\s+\|\s+{Calls}\b", output);
        Assert.Matches(@"Failed call\s+\|\s+\d+\s+\|\s+0\b", output);
    }
}
