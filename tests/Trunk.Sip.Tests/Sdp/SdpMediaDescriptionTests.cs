using Trunk.Sip.Sdp;

namespace Trunk.Sip.Tests.Sdp;

public sealed class SdpMediaDescriptionTests
{
    [Theory]
    [InlineData(0, "PCMU", 8000)]
    [InlineData(3, "GSM", 8000)]
    [InlineData(8, "PCMA", 8000)]
    [InlineData(9, "G722", 8000)]
    [InlineData(18, "G729", 8000)]
    [InlineData(34, "H263", 90000)]
    public void When_a_static_payload_type_has_no_rtpmap_Should_know_it_from_RFC_3551(int payloadType, string name, int clockRate)
    {
        var media = new SdpMediaDescription("audio", 4000, "RTP/AVP", [payloadType.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        var map = media.GetRtpMap(payloadType);

        Assert.Equal((name, clockRate), (map!.EncodingName, map.ClockRate));
    }

    [Fact]
    public void When_a_dynamic_payload_type_has_no_rtpmap_Should_leave_it_out_of_the_maps()
    {
        var media = new SdpMediaDescription("audio", 4000, "RTP/AVP", ["0", "96"]);

        Assert.Null(media.GetRtpMap(96));
        Assert.Equal([SdpStaticPayloadTypes.Find(0)!], media.RtpMaps);
    }

    [Fact]
    public void When_an_rtpmap_gives_channels_Should_read_them()
    {
        var media = SdpSamples.Parse(SdpSamples.LinphoneOffer).Media[0];

        Assert.Equal(new SdpRtpMap(96, "opus", 48000, 2), media.GetRtpMap(96));
        Assert.Equal("opus/48000/2", media.GetRtpMap(96)!.ToString()[3..]);
    }

    [Fact]
    public void When_fmtp_has_parameters_Should_read_them_by_name()
    {
        var video = SdpSamples.Parse(SdpSamples.AudioAndVideoOffer).Media[1];

        var parameters = video.GetFmtp(97)!.GetParameters();

        Assert.Equal("42e01f", parameters["profile-level-id"]);
        Assert.Equal("1", parameters["packetization-mode"]);
    }

    [Fact]
    public void When_the_direction_is_only_at_session_level_Should_apply_it_to_the_stream()
    {
        var sdp = SdpSamples.Parse(SdpSamples.Rfc4566Example);

        Assert.Null(sdp.Media[0].Direction);
        Assert.Equal(SdpDirection.RecvOnly, sdp.GetDirection(sdp.Media[0]));
    }

    [Fact]
    public void When_the_stream_has_its_own_direction_Should_override_the_session()
    {
        var sdp = SdpSamples.Parse(SdpSamples.Lines("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "t=0 0", "a=sendonly",
            "m=audio 4000 RTP/AVP 0", "a=inactive"));

        Assert.Equal(SdpDirection.Inactive, sdp.GetDirection(sdp.Media[0]));
    }

    [Fact]
    public void When_no_direction_is_written_Should_be_sendrecv()
    {
        var sdp = SdpSamples.Parse(SdpSamples.AudioAndVideoOffer.Replace("a=sendrecv\r\n", string.Empty, StringComparison.Ordinal));

        Assert.Equal(SdpDirection.SendRecv, sdp.GetDirection(sdp.Media[0]));
    }

    [Fact]
    public void When_the_stream_has_its_own_connection_Should_use_it_rather_than_the_session_one()
    {
        var sdp = SdpSamples.Parse(SdpSamples.Rfc4566Example);

        Assert.Equal("224.2.17.12", sdp.GetConnection(sdp.Media[0])!.Address);
        Assert.Equal("224.2.17.14", sdp.GetConnection(sdp.Media[1])!.Address);
    }

    [Fact]
    public void When_rtcp_has_only_a_port_Should_read_it_without_address()
    {
        var media = SdpSamples.Parse(SdpSamples.AudioAndVideoOffer).Media[0];

        Assert.Equal(new SdpRtcp(59451), media.Rtcp);
    }

    [Fact]
    public void When_the_direction_is_changed_Should_replace_the_attribute_where_it_stood()
    {
        var media = SdpSamples.Parse(SdpSamples.AudioAndVideoOffer).Media[0];

        var changed = media.WithDirection(SdpDirection.Inactive);

        Assert.Equal(media.Attributes.Select(a => a.Name == "sendrecv" ? "inactive" : a.Name), changed.Attributes.Select(a => a.Name));
    }

    [Fact]
    public void When_a_stream_has_no_direction_and_one_is_set_Should_append_it()
    {
        var media = new SdpMediaDescription("audio", 4000, "RTP/AVP", ["0"]) { Attributes = [new SdpAttribute("ptime", "20")] };

        Assert.Equal([new SdpAttribute("ptime", "20"), new SdpAttribute("recvonly")], media.WithDirection(SdpDirection.RecvOnly).Attributes);
    }

    [Theory]
    [InlineData(SdpDirection.SendRecv, SdpDirection.SendRecv)]
    [InlineData(SdpDirection.SendOnly, SdpDirection.RecvOnly)]
    [InlineData(SdpDirection.RecvOnly, SdpDirection.SendOnly)]
    [InlineData(SdpDirection.Inactive, SdpDirection.Inactive)]
    public void When_a_direction_is_seen_from_the_other_side_Should_reverse_send_and_receive(SdpDirection direction, SdpDirection reversed)
    {
        Assert.Equal(reversed, direction.Reverse());
    }
}
