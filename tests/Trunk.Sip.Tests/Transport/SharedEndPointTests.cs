using System.Net;
using Trunk.Sip.Messages;
using Trunk.Sip.Transport;

namespace Trunk.Sip.Tests.Transport;

/// <summary>
/// Destinations that name one address and port share one end point: a finished transaction keeps its destination 32 s
/// over UDP, so an end point of its own was two more objects in each.
/// </summary>
public sealed class SharedEndPointTests
{
    private static readonly SipPeer Peer = new(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Parse("127.0.0.9"), 40000),
        new IPEndPoint(IPAddress.Loopback, 5060));

    [Fact]
    public void When_two_uris_name_one_address_and_port_Should_resolve_to_one_end_point()
    {
        Assert.True(SipDestination.TryFromUri(SipUri.Parse("sip:+14155550100@127.0.0.31:5071"), out var first));
        Assert.True(SipDestination.TryFromUri(SipUri.Parse("sip:other@127.0.0.31:5071;transport=tcp"), out var second));
        Assert.True(SipDestination.TryFromUri(SipUri.Parse("sip:+14155550100@127.0.0.31:5072"), out var otherPort));

        Assert.Same(first.EndPoint, second.EndPoint);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.31"), 5071), first.EndPoint);
        Assert.Equal(SipTransportProtocol.Tcp, second.Protocol);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.31"), 5072), otherPort.EndPoint);
    }

    [Fact]
    public void When_responses_follow_one_vias_received_and_rport_Should_share_one_end_point()
    {
        Assert.True(ViaHeader.TryParse("SIP/2.0/UDP pbx.example.com:5060;branch=z9hG4bK-1;received=127.0.0.32;rport=5099", out var via));
        Assert.True(ViaHeader.TryParse("SIP/2.0/UDP pbx.example.com:5060;branch=z9hG4bK-2;received=127.0.0.32;rport=5099", out var next));

        var first = ResponseRouting.Destination(via, Peer);
        var second = ResponseRouting.Destination(next, Peer);

        Assert.Same(first.EndPoint, second.EndPoint);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.32"), 5099), first.EndPoint);
    }

    [Fact]
    public void When_the_table_is_full_Should_still_give_the_right_end_point_each_time()
    {
        var table = new SharedEndPoints(capacity: 2);
        var a = table.Get(IPAddress.Parse("10.0.0.1"), 5060);
        var b = table.Get(IPAddress.Parse("10.0.0.2"), 5060);
        var c = table.Get(IPAddress.Parse("10.0.0.3"), 5060);
        var again = table.Get(IPAddress.Parse("10.0.0.3"), 5060);

        Assert.Same(a, table.Get(IPAddress.Parse("10.0.0.1"), 5060));
        Assert.Same(b, table.Get(IPAddress.Parse("10.0.0.2"), 5060));
        Assert.NotSame(c, again);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.3"), 5060), again);
    }
}
