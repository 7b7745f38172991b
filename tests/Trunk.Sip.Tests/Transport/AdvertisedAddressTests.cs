using System.Net;
using System.Net.Sockets;
using Trunk.Sip.Dialogs;
using Trunk.Sip.Messages;
using Trunk.Sip.Transactions;
using Trunk.Sip.Transport;
using static Trunk.Sip.Tests.Transport.LoopbackClient;

namespace Trunk.Sip.Tests.Transport;

/// <summary>What our Via sent-by and Contact say (§18.1.1, §8.1.1.8): an address peers can reach, never 0.0.0.0.</summary>
public sealed class AdvertisedAddressTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task When_listening_on_every_interface_Should_put_a_reachable_address_in_Via_and_Contact()
    {
        await using var stack = StackOn(IPAddress.Any);

        var sent = await SendOptionsAsync(stack);

        var port = stack.Transport.UdpEndPoints[0].Port;
        Assert.DoesNotContain("0.0.0.0", sent, StringComparison.Ordinal);
        Assert.Matches($@"Via: SIP/2.0/UDP \d+\.\d+\.\d+\.\d+:{port};branch=", sent);
        Assert.NotEqual("0.0.0.0", stack.ContactUri(SipTransportProtocol.Udp).Host);
    }

    [Fact]
    public async Task When_an_address_and_port_are_advertised_Should_put_them_in_Via_and_Contact()
    {
        await using var stack = StackOn(IPAddress.Loopback, "203.0.113.7", 15060);

        var sent = await SendOptionsAsync(stack);

        Assert.Contains("Via: SIP/2.0/UDP 203.0.113.7:15060;branch=", sent, StringComparison.Ordinal);
        Assert.Equal("sip:trunk@203.0.113.7:15060", stack.ContactUri(SipTransportProtocol.Udp).ToString());
        Assert.Equal("sip:trunk@203.0.113.7:15060;transport=tcp", stack.ContactUri(SipTransportProtocol.Tcp).ToString());
    }

    [Fact]
    public async Task When_an_IPv6_address_is_advertised_Should_bracket_it()
    {
        await using var stack = StackOn(IPAddress.Loopback, "2001:db8::7");

        Assert.Equal($"[2001:db8::7]:{stack.Transport.UdpEndPoints[0].Port}", stack.Transport.SentBy(SipTransportProtocol.Udp));
    }

    [Theory]
    [InlineData("bad host!", null)]
    [InlineData(null, 70000)]
    public void When_the_advertised_address_or_port_is_invalid_Should_refuse_the_options(string? host, int? port)
    {
        Assert.Throws<ArgumentException>(() => StackOn(IPAddress.Loopback, host, port));
    }

    private static SipStack StackOn(IPAddress address, string? advertisedHost = null, int? advertisedPort = null) =>
        new(new SipStackOptions
        {
            Transport = new SipTransportOptions
            {
                Udp = [new IPEndPoint(address, 0)],
                Tcp = [new IPEndPoint(address, 0)],
                AdvertisedHost = advertisedHost,
                AdvertisedPort = advertisedPort,
            },
        });

    /// <summary>Sends an OPTIONS from the stack to a loopback socket and returns it as it arrived.</summary>
    private static async Task<string> SendOptionsAsync(SipStack stack)
    {
        stack.Start();
        using var peer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var target = SipUri.Parse($"sip:peer@{peer.Client.LocalEndPoint}");
        Assert.True(SipDestination.TryFromUri(target, out var destination));
        var options = InitialRequests.Create(SipMethod.Options, target, NameAddress.Parse("<sip:trunk@example.invalid>"), stack.ContactUri(SipTransportProtocol.Udp));

        _ = stack.SendAsync(options, destination);

        return await ReceiveAsync(peer, Wait);
    }
}
