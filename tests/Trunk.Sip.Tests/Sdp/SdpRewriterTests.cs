using System.Net;
using Trunk.Sip.Sdp;

namespace Trunk.Sip.Tests.Sdp;

public sealed class SdpRewriterTests
{
    private static readonly IPAddress Anchor = IPAddress.Parse("203.0.113.5");

    [Fact]
    public void When_anchoring_a_softphone_offer_Should_change_only_the_address_and_port()
    {
        var sdp = SdpSamples.Parse(SdpSamples.SoftphoneOffer);

        var rewritten = SdpRewriter.RewriteAudio(sdp, Anchor, 30000);

        Assert.Equal(
            SdpSamples.SoftphoneOffer
                .Replace("c=IN IP4 192.168.1.50", "c=IN IP4 203.0.113.5", StringComparison.Ordinal)
                .Replace("m=audio 8000", "m=audio 30000", StringComparison.Ordinal),
            rewritten.ToString());
    }

    [Fact]
    public void When_anchoring_on_IPv6_Should_write_IN_IP6()
    {
        var rewritten = SdpRewriter.RewriteAudio(SdpSamples.Parse(SdpSamples.SoftphoneOffer), IPAddress.Parse("2001:db8::5"), 30000);

        Assert.Equal(new SdpConnection("IN", "IP6", "2001:db8::5"), rewritten.Connection);
    }

    [Fact]
    public void When_the_stream_has_rtcp_with_an_address_Should_move_it_to_the_anchor_port_plus_one()
    {
        var v6Anchor = IPAddress.Parse("2001:db8::5");

        var rewritten = SdpRewriter.RewriteAudio(SdpSamples.Parse(SdpSamples.IPv6Offer), v6Anchor, 30000);

        Assert.Equal(new SdpRtcp(30001, new SdpConnection("IN", "IP6", "2001:db8::5")), rewritten.Media[0].Rtcp);
        Assert.Equal(40, rewritten.Media[0].MaxPtime);
    }

    [Fact]
    public void When_the_offer_holds_with_0_0_0_0_Should_keep_that_address()
    {
        var rewritten = SdpRewriter.RewriteAudio(SdpSamples.Parse(SdpSamples.Rfc2543HoldReInvite), Anchor, 30000);

        Assert.True(rewritten.Connection!.IsNullAddress);
        Assert.True(rewritten.Media[0].Connections[0].IsNullAddress);
        Assert.Equal(30000, rewritten.Media[0].Port);
        Assert.True(SdpHold.IsOnHold(rewritten));
    }

    [Fact]
    public void When_only_audio_is_anchored_Should_pin_the_video_to_its_original_address()
    {
        var sdp = SdpSamples.Parse(SdpSamples.AudioAndVideoOffer);

        var rewritten = SdpRewriter.RewriteAudio(sdp, Anchor, 30000);

        Assert.Equal("203.0.113.5", rewritten.GetConnection(rewritten.Media[0])!.Address);
        Assert.Equal("172.16.0.9", rewritten.GetConnection(rewritten.Media[1])!.Address);
        Assert.Equal(59452, rewritten.Media[1].Port);
        Assert.Equal(new SdpRtcp(30001), rewritten.Media[0].Rtcp);
        Assert.Equal(sdp.Media[1].Attributes, rewritten.Media[1].Attributes);
    }

    [Fact]
    public void When_a_stream_is_refused_Should_keep_port_0()
    {
        var sdp = SdpSamples.Parse(SdpSamples.AudioAndVideoOffer);
        sdp = sdp.WithMedia(1, sdp.Media[1] with { Port = 0 });

        var rewritten = SdpRewriter.Rewrite(sdp, Anchor, [30000, 30002]);

        Assert.Equal([30000, 0], rewritten.Media.Select(m => m.Port));
    }

    [Fact]
    public void When_the_port_list_does_not_match_the_streams_Should_throw()
    {
        var sdp = SdpSamples.Parse(SdpSamples.AudioAndVideoOffer);

        Assert.Throws<ArgumentException>(() => SdpRewriter.Rewrite(sdp, Anchor, [30000]));
    }

    [Fact]
    public void When_rewriting_Should_leave_the_origin_to_the_caller()
    {
        var sdp = SdpSamples.Parse(SdpSamples.SoftphoneOffer);

        Assert.Equal(sdp.Origin, SdpRewriter.RewriteAudio(sdp, Anchor, 30000).Origin);
    }
}
