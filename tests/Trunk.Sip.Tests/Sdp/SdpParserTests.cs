using Trunk.Sip.Sdp;

namespace Trunk.Sip.Tests.Sdp;

public sealed class SdpParserTests
{
    [Fact]
    public void When_a_softphone_offers_G711_with_telephone_event_Should_read_every_line()
    {
        Assert.True(SdpSessionDescription.TryParse(SdpSamples.SoftphoneOffer, out var sdp, out _));

        Assert.Equal(new SdpOrigin("Zoiper", "1700000000", 1, "IN", "IP4", "192.168.1.50"), sdp.Origin);
        Assert.Equal("Zoiper", sdp.SessionName);
        Assert.Equal("192.168.1.50", sdp.Connection!.Address);
        Assert.Equal([SdpTiming.Permanent], sdp.Timings);
        var audio = Assert.Single(sdp.Media);
        Assert.Equal(("audio", 8000, "RTP/AVP"), (audio.Media, audio.Port, audio.Protocol));
        Assert.Equal([0, 8, 3, 101], audio.PayloadTypes);
        Assert.Equal(new SdpRtpMap(101, "telephone-event", 8000), audio.GetRtpMap(101));
        Assert.Equal("0-16", audio.GetFmtp(101)!.Parameters);
        Assert.Equal(20, audio.Ptime);
        Assert.Equal(SdpDirection.SendRecv, audio.Direction);
    }

    [Fact]
    public void When_the_offer_is_IPv6_Should_read_IN_IP6_addresses_and_the_rtcp_address()
    {
        var sdp = SdpSamples.Parse(SdpSamples.IPv6Offer);

        Assert.Equal(new SdpConnection("IN", "IP6", "2001:db8::10"), sdp.Connection);
        Assert.Equal("IP6", sdp.Origin.AddressType);
        var audio = sdp.Media[0];
        Assert.Equal(new SdpRtcp(49171, new SdpConnection("IN", "IP6", "2001:db8::11")), audio.Rtcp);
        Assert.Equal(40, audio.MaxPtime);
        Assert.True(sdp.Connection!.TryGetIPAddress(out var ip));
        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetworkV6, ip!.AddressFamily);
    }

    [Fact]
    public void When_lines_end_with_LF_only_Should_parse_as_with_CRLF()
    {
        var lf = SdpSamples.SoftphoneOffer.Replace("\r\n", "\n", StringComparison.Ordinal);

        Assert.Equal(SdpSamples.SoftphoneOffer, SdpSamples.Parse(lf).ToString());
    }

    [Fact]
    public void When_the_body_comes_as_UTF8_bytes_Should_parse_it()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(SdpSamples.HoldReInvite);

        Assert.True(SdpSessionDescription.TryParse(bytes, out var sdp, out _));
        Assert.Equal(SdpDirection.SendOnly, sdp.Media[0].Direction);
    }

    [Fact]
    public void When_the_RFC_4566_example_is_parsed_Should_keep_every_session_field()
    {
        var sdp = SdpSamples.Parse(SdpSamples.Rfc4566Example);

        Assert.Equal("A Seminar on the session description protocol", sdp.Information);
        Assert.Equal("http://www.example.com/seminars/sdp.pdf", sdp.Uri);
        Assert.Equal(["j.doe@example.com (Jane Doe)"], sdp.Emails);
        Assert.Equal(["+1 617 555-6011"], sdp.Phones);
        Assert.Equal(127, sdp.Connection!.Ttl);
        Assert.Equal([new SdpBandwidth("CT", 128)], sdp.Bandwidths);
        Assert.Equal(["7d 1h 0 25h"], sdp.Timings[0].Repeats);
        Assert.Equal("2882844526 -1h 2898848070 0", sdp.TimeZones);
        Assert.Equal("prompt", sdp.EncryptionKey);
        Assert.Equal(SdpDirection.RecvOnly, sdp.Direction);
        Assert.Equal("Speaker", sdp.Media[0].Information);
        var video = sdp.Media[1];
        Assert.Equal(2, video.PortCount);
        Assert.Equal(new SdpConnection("IN", "IP4", "224.2.17.14") { Ttl = 127, AddressCount = 2 }, video.Connections[0]);
        Assert.Equal("clear:secret", video.EncryptionKey);
    }

    [Fact]
    public void When_the_t_line_is_missing_Should_take_a_permanent_session()
    {
        var sdp = SdpSamples.Parse(SdpSamples.Lines("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "m=audio 4000 RTP/AVP 0"));

        Assert.Equal([SdpTiming.Permanent], sdp.Timings);
    }

    [Theory]
    [InlineData("m=audio abc RTP/AVP 0", "not a port")]
    [InlineData("m=audio 70000 RTP/AVP 0", "not a port")]
    [InlineData("m=audio 4000 RTP/AVP", "expected 'm=")]
    [InlineData("m=audio 4000 RTP/AVP 0 PCMU", "RTP payload types")]
    [InlineData("m=audio 4000 RTP/AVP 128", "RTP payload types")]
    [InlineData("a=rtpmap:0 PCMU", "rtpmap")]
    [InlineData("a=rtpmap:x PCMU/8000", "rtpmap")]
    [InlineData("a=fmtp:101", "fmtp")]
    [InlineData("a=ptime:twenty", "ptime")]
    [InlineData("a=rtcp:abc", "rtcp")]
    [InlineData("a=", "a=<attribute>")]
    [InlineData("c=IN IP4 999.1.1.1", "not an IP4 address")]
    [InlineData("c=IN IP6 10.0.0.1", "not an IP6 address")]
    [InlineData("c=IN IP4", "expected '<nettype>")]
    [InlineData("b=AS", "b=<bwtype>")]
    [InlineData("x=unknown", "unknown type letter 'x'")]
    [InlineData("t=0 0", "session level")]
    [InlineData("s=again", "session level")]
    [InlineData("audio 4000", "<type>=<value>")]
    [InlineData("A=sendrecv", "<type>=<value>")]
    [InlineData("a =sendrecv", "<type>=<value>")]
    public void When_a_media_section_line_is_malformed_Should_refuse_it_with_its_line_number(string badLine, string reason)
    {
        var text = SdpSamples.Lines("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
            "m=audio 4000 RTP/AVP 0", badLine, "a=sendrecv");
        var expectedLine = badLine.StartsWith("m=", StringComparison.Ordinal) ? 6 : 7;
        if (expectedLine == 6)
        {
            text = text.Replace("m=audio 4000 RTP/AVP 0\r\n", string.Empty, StringComparison.Ordinal);
        }

        Assert.False(SdpSessionDescription.TryParse(text, out var sdp, out var error));

        Assert.Null(sdp);
        Assert.Equal(expectedLine, error.LineNumber);
        Assert.Equal(badLine, error.Line);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, "o=- 1 IN IP4 10.0.0.1", "expected 'o=")]
    [InlineData(2, "o=- 1 abc IN IP4 10.0.0.1", "session version")]
    [InlineData(4, "s=twice", "only once")]
    [InlineData(4, "c=IN IP4 10.0.0.1/300/2/9", "too many '/'")]
    [InlineData(4, "t=0", "t=<start-time>")]
    [InlineData(4, "r=7d 1h 0 25h", "must follow a 't='")]
    [InlineData(1, "v=1", "unsupported SDP version")]
    public void When_a_session_line_is_malformed_Should_refuse_it_with_its_line_number(int lineNumber, string badLine, string reason)
    {
        var lines = new List<string> { "v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "t=0 0", "m=audio 4000 RTP/AVP 0" };
        if (lineNumber == 1 || lineNumber == 2)
        {
            lines[lineNumber - 1] = badLine;
        }
        else
        {
            lines.Insert(lineNumber - 1, badLine);
        }

        if (badLine.StartsWith("r=", StringComparison.Ordinal))
        {
            lines.Remove("t=0 0");
        }

        Assert.False(SdpSessionDescription.TryParse(SdpSamples.Lines([.. lines]), out _, out var error));

        Assert.Equal(lineNumber, error.LineNumber);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.Contains($"line {lineNumber}", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void When_the_first_line_is_not_v_Should_refuse_line_1()
    {
        Assert.False(SdpSessionDescription.TryParse(SdpSamples.Lines("o=- 1 1 IN IP4 10.0.0.1", "v=0", "s=-"), out _, out var error));

        Assert.Equal(1, error.LineNumber);
        Assert.Contains("must start with v=", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("v=0\r\ns=-\r\n", "no o= line")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\n", "no s= line")]
    public void When_a_mandatory_line_is_missing_Should_refuse_the_whole_description(string text, string reason)
    {
        Assert.False(SdpSessionDescription.TryParse(text, out _, out var error));

        Assert.Equal(0, error.LineNumber);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void When_Parse_meets_a_malformed_line_Should_throw_a_FormatException_naming_it()
    {
        var text = SdpSamples.Lines("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "m=audio x RTP/AVP 0");

        var exception = Assert.Throws<FormatException>(() => SdpSessionDescription.Parse(text));

        Assert.Contains("line 4", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void When_a_connection_address_is_a_domain_name_Should_accept_it()
    {
        var sdp = SdpSamples.Parse(SdpSamples.Lines("v=0", "o=- 1 1 IN IP4 host.example.com", "s=-", "c=IN IP4 media.example.com", "t=0 0"));

        Assert.Equal("media.example.com", sdp.Connection!.Address);
        Assert.False(sdp.Connection.TryGetIPAddress(out _));
    }

    [Fact]
    public void When_a_line_holds_a_bare_CR_Should_refuse_that_line()
    {
        var text = SdpSamples.Lines("v=0", "o=- 1 1 IN IP4 10.0.0.1\r ", "s=-");

        Assert.False(SdpSessionDescription.TryParse(text, out _, out var error));

        Assert.Equal(2, error.LineNumber);
        Assert.Contains("CR or NUL", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void When_the_last_line_has_no_line_end_Should_still_read_it()
    {
        var sdp = SdpSamples.Parse("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8");

        Assert.Equal([8], sdp.Media[0].PayloadTypes);
    }
}
