using System.Net;
using Trunk.Sip.Sdp;

namespace Trunk.Sip.Tests.Sdp;

public sealed class SdpOfferAnswerAnswerTests
{
    private static readonly IPAddress Anchor = IPAddress.Parse("203.0.113.5");

    private static SdpAnswerOptions Options(params SdpCodec[] codecs) =>
        new(SdpOrigin.Create("42", 1, Anchor), Anchor, 30000, codecs);

    private static SdpAnswerResult.Accepted Accept(string offer, SdpAnswerOptions options) =>
        Assert.IsType<SdpAnswerResult.Accepted>(SdpOfferAnswer.Answer(SdpSamples.Parse(offer), options));

    private static string Offer(string formats, params string[] attributes) =>
        SdpSamples.Lines([
            "v=0", "o=- 7 7 IN IP4 198.51.100.7", "s=-", "c=IN IP4 198.51.100.7", "t=0 0",
            $"m=audio 40000 RTP/AVP {formats}", .. attributes,
        ]);

    [Fact]
    public void When_the_offer_has_PCMA_and_PCMU_Should_answer_with_the_first_local_preference()
    {
        var accepted = Accept(Offer("8 0"), Options(SdpCodec.Pcmu, SdpCodec.Pcma));

        Assert.Equal(["0"], accepted.Answer.Media[0].Formats);
        Assert.Equal("PCMU", accepted.Audio.Codec.EncodingName);
    }

    [Fact]
    public void When_asked_for_all_common_codecs_Should_list_them_in_local_preference_order()
    {
        var accepted = Accept(SdpSamples.SoftphoneOffer, Options(SdpCodec.Pcma, SdpCodec.G729, SdpCodec.Pcmu) with { AnswerAllCommonCodecs = true });

        Assert.Equal(["8", "0", "101"], accepted.Answer.Media[0].Formats);
    }

    [Fact]
    public void When_the_codec_has_a_dynamic_payload_type_Should_answer_with_the_offerers_number()
    {
        var accepted = Accept(SdpSamples.LinphoneOffer, Options(new SdpCodec("OPUS", 48000, 2), SdpCodec.Pcmu));

        var audio = accepted.Answer.Media[0];
        Assert.Equal(["96", "97"], audio.Formats);
        Assert.Equal(new SdpRtpMap(96, "opus", 48000, 2), audio.GetRtpMap(96));
        Assert.Equal("useinbandfec=1", audio.GetFmtp(96)!.Parameters);
    }

    [Fact]
    public void When_the_offerer_maps_PCMU_to_a_dynamic_number_Should_match_by_name_and_rate()
    {
        var accepted = Accept(Offer("100", "a=rtpmap:100 pcmu/8000"), Options(SdpCodec.Pcmu));

        Assert.Equal(["100"], accepted.Answer.Media[0].Formats);
    }

    [Fact]
    public void When_static_payload_types_come_without_rtpmap_Should_still_match_them()
    {
        var accepted = Accept(Offer("18 8"), Options(SdpCodec.Pcma));

        Assert.Equal(["8"], accepted.Answer.Media[0].Formats);
        Assert.Equal("8 PCMA/8000", accepted.Answer.Media[0].GetAttribute("rtpmap"));
    }

    [Fact]
    public void When_the_clock_rate_differs_Should_not_match()
    {
        var result = SdpOfferAnswer.Answer(SdpSamples.Parse(Offer("96", "a=rtpmap:96 PCMU/16000")), Options(SdpCodec.Pcmu));

        Assert.IsType<SdpAnswerResult.NoCommonCodec>(result);
    }

    [Fact]
    public void When_the_offer_has_telephone_event_Should_keep_it_with_the_offerers_number_and_events()
    {
        var accepted = Accept(SdpSamples.SoftphoneOffer, Options(SdpCodec.Pcma));

        var audio = accepted.Answer.Media[0];
        Assert.Equal(["8", "101"], audio.Formats);
        Assert.Equal("0-16", audio.GetFmtp(101)!.Parameters);
        Assert.Equal(new SdpRtpMap(101, "telephone-event", 8000), accepted.Audio.TelephoneEvent);
    }

    [Fact]
    public void When_telephone_event_is_offered_at_two_rates_Should_take_the_one_at_the_codecs_rate()
    {
        var accepted = Accept(SdpSamples.LinphoneOffer, Options(SdpCodec.Pcmu));

        Assert.Equal(["0", "101"], accepted.Answer.Media[0].Formats);
    }

    [Fact]
    public void When_telephone_event_is_turned_off_Should_leave_it_out()
    {
        var accepted = Accept(SdpSamples.SoftphoneOffer, Options(SdpCodec.Pcmu) with { AcceptTelephoneEvent = false });

        Assert.Equal(["0"], accepted.Answer.Media[0].Formats);
        Assert.Null(accepted.Audio.TelephoneEvent);
    }

    [Fact]
    public void When_the_offer_has_no_telephone_event_Should_answer_without_it()
    {
        var accepted = Accept(Offer("0"), Options(SdpCodec.Pcmu));

        Assert.Equal(["0"], accepted.Answer.Media[0].Formats);
    }

    [Fact]
    public void When_the_offer_has_a_ptime_Should_carry_it_into_the_answer()
    {
        var accepted = Accept(Offer("0", "a=ptime:30"), Options(SdpCodec.Pcmu) with { Ptime = 20 });

        Assert.Equal(30, accepted.Answer.Media[0].Ptime);
        Assert.Equal(30, accepted.Audio.Ptime);
    }

    [Fact]
    public void When_the_offer_has_no_ptime_Should_ask_for_the_local_one()
    {
        Assert.Equal(20, Accept(Offer("0"), Options(SdpCodec.Pcmu) with { Ptime = 20 }).Answer.Media[0].Ptime);
        Assert.Null(Accept(Offer("0"), Options(SdpCodec.Pcmu)).Answer.Media[0].Ptime);
    }

    [Theory]
    [InlineData("sendrecv", SdpDirection.SendRecv)]
    [InlineData("sendonly", SdpDirection.RecvOnly)]
    [InlineData("recvonly", SdpDirection.SendOnly)]
    [InlineData("inactive", SdpDirection.Inactive)]
    public void When_the_offer_has_a_direction_Should_answer_it_per_RFC_3264_section_6_1(string offered, SdpDirection answered)
    {
        var accepted = Accept(Offer("0", $"a={offered}"), Options(SdpCodec.Pcmu));

        Assert.Equal(answered, accepted.Answer.Media[0].Direction);
        Assert.Equal(answered, accepted.Audio.Direction);
    }

    [Fact]
    public void When_the_direction_is_at_session_level_in_the_offer_Should_answer_it_on_the_stream()
    {
        var offer = SdpSamples.Lines("v=0", "o=- 7 7 IN IP4 198.51.100.7", "s=-", "c=IN IP4 198.51.100.7", "t=0 0", "a=sendonly",
            "m=audio 40000 RTP/AVP 0");

        Assert.Equal(SdpDirection.RecvOnly, Accept(offer, Options(SdpCodec.Pcmu)).Answer.Media[0].Direction);
    }

    [Fact]
    public void When_we_only_want_to_send_Should_answer_a_sendrecv_offer_with_sendonly()
    {
        var accepted = Accept(Offer("0"), Options(SdpCodec.Pcmu) with { Direction = SdpDirection.SendOnly });

        Assert.Equal(SdpDirection.SendOnly, accepted.Answer.Media[0].Direction);
    }

    [Fact]
    public void When_the_offer_holds_with_0_0_0_0_Should_answer_recvonly_and_not_send()
    {
        var accepted = Accept(SdpSamples.Rfc2543HoldReInvite, Options(SdpCodec.Pcmu));

        Assert.Equal(SdpDirection.RecvOnly, accepted.Answer.Media[0].Direction);
        Assert.False(accepted.Audio.Direction.CanSend());
    }

    [Fact]
    public void When_the_offer_has_video_too_Should_refuse_it_with_port_0_and_keep_its_formats()
    {
        var accepted = Accept(SdpSamples.AudioAndVideoOffer, Options(SdpCodec.Pcmu));

        Assert.Equal(2, accepted.Answer.Media.Count);
        var video = accepted.Answer.Media[1];
        Assert.Equal(("video", 0, "RTP/AVP"), (video.Media, video.Port, video.Protocol));
        Assert.Equal(["97", "34"], video.Formats);
        Assert.Empty(video.Attributes);
        Assert.Equal(30000, accepted.Answer.Media[0].Port);
    }

    [Fact]
    public void When_a_codec_has_fmtp_in_the_offer_Should_answer_the_same_fmtp()
    {
        var accepted = Accept(SdpSamples.AudioAndVideoOffer, Options(SdpCodec.G729));

        Assert.Equal("annexb=no", accepted.Answer.Media[0].GetFmtp(18)!.Parameters);
    }

    [Fact]
    public void When_the_offer_has_two_audio_streams_Should_accept_the_first_and_refuse_the_second()
    {
        var offer = Offer("0") + "m=audio 40002 RTP/AVP 0\r\n";

        var accepted = Accept(offer, Options(SdpCodec.Pcmu));

        Assert.Equal([30000, 0], accepted.Answer.Media.Select(m => m.Port));
    }

    [Fact]
    public void When_an_audio_stream_is_disabled_in_the_offer_Should_keep_it_disabled_and_use_the_next()
    {
        var offer = Offer("0").Replace("40000", "0", StringComparison.Ordinal) + "m=audio 40002 RTP/AVP 8\r\n";

        var accepted = Accept(offer, Options(SdpCodec.Pcma));

        Assert.Equal([0, 30000], accepted.Answer.Media.Select(m => m.Port));
        Assert.Equal(1, accepted.Audio.MediaIndex);
    }

    [Fact]
    public void When_no_codec_is_common_Should_say_so_explicitly_for_a_488()
    {
        var result = SdpOfferAnswer.Answer(SdpSamples.Parse(Offer("18 3")), Options(SdpCodec.Pcmu, SdpCodec.Pcma));

        var refused = Assert.IsType<SdpAnswerResult.NoCommonCodec>(result);
        Assert.Contains("G729/8000, GSM/8000", refused.Reason, StringComparison.Ordinal);
        Assert.Contains("PCMU/8000, PCMA/8000", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void When_only_telephone_event_is_common_Should_refuse()
    {
        var result = SdpOfferAnswer.Answer(SdpSamples.Parse(Offer("18 101", "a=rtpmap:101 telephone-event/8000")), Options(SdpCodec.Pcmu));

        Assert.IsType<SdpAnswerResult.NoCommonCodec>(result);
    }

    [Fact]
    public void When_the_offer_has_only_SRTP_audio_Should_refuse_naming_the_protocol()
    {
        var offer = Offer("0").Replace("RTP/AVP", "RTP/SAVP", StringComparison.Ordinal);

        var refused = Assert.IsType<SdpAnswerResult.NoCommonCodec>(SdpOfferAnswer.Answer(SdpSamples.Parse(offer), Options(SdpCodec.Pcmu)));

        Assert.Contains("RTP/SAVP", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void When_the_offer_has_no_audio_Should_refuse()
    {
        var offer = SdpSamples.Lines("v=0", "o=- 7 7 IN IP4 198.51.100.7", "s=-", "c=IN IP4 198.51.100.7", "t=0 0", "m=video 5000 RTP/AVP 34");

        var refused = Assert.IsType<SdpAnswerResult.NoCommonCodec>(SdpOfferAnswer.Answer(SdpSamples.Parse(offer), Options(SdpCodec.Pcmu)));

        Assert.Contains("no audio", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void When_answering_Should_give_our_address_and_where_the_offerer_wants_media()
    {
        var accepted = Accept(SdpSamples.AudioAndVideoOffer, Options(SdpCodec.Pcmu));

        Assert.Equal(new SdpConnection("IN", "IP4", "203.0.113.5"), accepted.Answer.Connection);
        Assert.Equal("172.16.0.9", accepted.Audio.RemoteConnection!.Address);
        Assert.Equal((59450, 59451), (accepted.Audio.RemotePort, accepted.Audio.RemoteRtcpPort));
    }

    [Fact]
    public void When_our_address_is_IPv6_Should_answer_with_IN_IP6()
    {
        var v6 = IPAddress.Parse("2001:db8::5");
        var options = new SdpAnswerOptions(SdpOrigin.Create("42", 1, v6), v6, 30000, [SdpCodec.Pcma]);

        var accepted = Accept(SdpSamples.IPv6Offer, options);

        Assert.Equal("c=IN IP6 2001:db8::5", accepted.Answer.ToString().Split("\r\n")[3]);
        Assert.Equal("o=- 42 1 IN IP6 2001:db8::5", accepted.Answer.ToString().Split("\r\n")[1]);
        Assert.Equal(49171, accepted.Audio.RemoteRtcpPort);
    }

    [Fact]
    public void When_the_answer_is_written_Should_be_a_valid_description()
    {
        var accepted = Accept(SdpSamples.SoftphoneOffer, Options(SdpCodec.Pcmu));

        Assert.Equal(
            SdpSamples.Lines("v=0", "o=- 42 1 IN IP4 203.0.113.5", "s=-", "c=IN IP4 203.0.113.5", "t=0 0",
                "m=audio 30000 RTP/AVP 0 101", "a=rtpmap:0 PCMU/8000", "a=rtpmap:101 telephone-event/8000",
                "a=fmtp:101 0-16", "a=ptime:20", "a=sendrecv"),
            accepted.Answer.ToString());
        Assert.True(SdpSessionDescription.TryParse(accepted.Answer.ToString(), out _, out _));
    }

    [Fact]
    public void When_a_re_offer_changes_nothing_Should_answer_with_the_same_version()
    {
        var first = Accept(SdpSamples.SoftphoneOffer, Options(SdpCodec.Pcmu)).Answer;

        var again = Accept(SdpSamples.SoftphoneOffer, Options(SdpCodec.Pcmu) with { PreviousAnswer = first }).Answer;

        Assert.Equal(first.Origin, again.Origin);
    }

    [Fact]
    public void When_a_re_offer_puts_us_on_hold_Should_answer_with_the_next_version()
    {
        var first = Accept(SdpSamples.SoftphoneOffer, Options(SdpCodec.Pcmu)).Answer;
        var hold = SdpSamples.SoftphoneOffer.Replace("a=sendrecv", "a=sendonly", StringComparison.Ordinal);

        var answer = Accept(hold, Options(SdpCodec.Pcmu) with { PreviousAnswer = first }).Answer;

        Assert.Equal(first.Origin.SessionVersion + 1, answer.Origin.SessionVersion);
        Assert.Equal(first.Origin.SessionId, answer.Origin.SessionId);
        Assert.Equal(SdpDirection.RecvOnly, answer.Media[0].Direction);
    }
}
