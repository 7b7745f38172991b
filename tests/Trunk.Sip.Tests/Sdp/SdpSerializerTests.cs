using Trunk.Sip.Sdp;

namespace Trunk.Sip.Tests.Sdp;

public sealed class SdpSerializerTests
{
    public static TheoryData<string> RealWorldDescriptions => new()
    {
        SdpSamples.SoftphoneOffer,
        SdpSamples.LinphoneOffer,
        SdpSamples.IPv6Offer,
        SdpSamples.HoldReInvite,
        SdpSamples.Rfc2543HoldReInvite,
        SdpSamples.AudioAndVideoOffer,
        SdpSamples.Rfc4566Example,
    };

    [Theory]
    [MemberData(nameof(RealWorldDescriptions))]
    public void When_a_description_is_serialized_Should_give_back_the_same_text(string text)
    {
        Assert.Equal(text, SdpSamples.Parse(text).ToString());
    }

    [Theory]
    [MemberData(nameof(RealWorldDescriptions))]
    public void When_a_serialized_description_is_parsed_again_Should_serialize_identically(string text)
    {
        var once = SdpSamples.Parse(text).ToString();

        Assert.Equal(once, SdpSamples.Parse(once).ToString());
    }

    [Fact]
    public void When_lines_come_out_of_order_Should_write_them_in_RFC_4566_order()
    {
        var scrambled = SdpSamples.Lines("v=0", "s=-", "t=0 0", "o=- 1 1 IN IP4 10.0.0.1", "c=IN IP4 10.0.0.1", "a=tool:x",
            "m=audio 4000 RTP/AVP 0", "a=ptime:20", "c=IN IP4 10.0.0.2", "b=AS:64", "i=voice");

        var text = SdpSamples.Parse(scrambled).ToString();

        Assert.Equal(
            SdpSamples.Lines("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0", "a=tool:x",
                "m=audio 4000 RTP/AVP 0", "i=voice", "c=IN IP4 10.0.0.2", "b=AS:64", "a=ptime:20"),
            text);
    }

    [Fact]
    public void When_unknown_attributes_are_present_Should_keep_them_intact_and_in_order()
    {
        var sdp = SdpSamples.Parse(SdpSamples.LinphoneOffer);

        Assert.Equal(
            ["rtpmap", "fmtp", "rtpmap", "rtpmap", "rtpmap", "fmtp", "rtcp", "rtcp-fb", "rtcp-fb"],
            sdp.Media[0].Attributes.Select(a => a.Name));
        Assert.Equal("* ccm tmmbr", sdp.Media[0].Attributes[^1].Value);
        Assert.Equal("rcvr-rtt=all:10000 stat-summary=loss,dup,jitt,TTL voip-metrics", sdp.Attributes[0].Value);
    }

    [Fact]
    public void When_the_session_has_no_name_Should_write_a_dash()
    {
        var sdp = new SdpSessionDescription(new SdpOrigin("-", "1", 1, "IN", "IP4", "10.0.0.1"), string.Empty);

        Assert.Equal(SdpSamples.Lines("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "t=0 0"), sdp.ToString());
    }

    [Fact]
    public void When_written_as_bytes_Should_be_the_UTF8_text()
    {
        var sdp = SdpSamples.Parse(SdpSamples.HoldReInvite);

        Assert.Equal(SdpSamples.HoldReInvite, System.Text.Encoding.UTF8.GetString(sdp.ToUtf8Bytes()));
    }
}
