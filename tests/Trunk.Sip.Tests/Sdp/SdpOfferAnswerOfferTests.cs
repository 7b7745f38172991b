using System.Net;
using Trunk.Sip.Sdp;

namespace Trunk.Sip.Tests.Sdp;

public sealed class SdpOfferAnswerOfferTests
{
    private static readonly IPAddress Anchor = IPAddress.Parse("203.0.113.5");

    private static SdpOfferOptions Options(params SdpCodec[] codecs) =>
        new(SdpOrigin.Create("77", 1, Anchor), Anchor, 31000, codecs);

    [Fact]
    public void When_offering_G711_Should_use_static_numbers_telephone_event_101_and_ptime()
    {
        var offer = SdpOfferAnswer.CreateOffer(Options(SdpCodec.Pcmu, SdpCodec.Pcma));

        Assert.Equal(
            SdpSamples.Lines("v=0", "o=- 77 1 IN IP4 203.0.113.5", "s=-", "c=IN IP4 203.0.113.5", "t=0 0",
                "m=audio 31000 RTP/AVP 0 8 101", "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000",
                "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16", "a=ptime:20", "a=sendrecv"),
            offer.ToString());
    }

    [Fact]
    public void When_a_codec_has_no_static_number_Should_give_it_a_dynamic_one_and_its_fmtp()
    {
        var opus = new SdpCodec("opus", 48000, 2) { FormatParameters = "useinbandfec=1" };

        var audio = SdpOfferAnswer.CreateOffer(Options(opus, SdpCodec.G729 with { FormatParameters = "annexb=no" })).Media[0];

        Assert.Equal(["96", "18", "101"], audio.Formats);
        Assert.Equal(new SdpRtpMap(96, "opus", 48000, 2), audio.GetRtpMap(96));
        Assert.Equal("useinbandfec=1", audio.GetFmtp(96)!.Parameters);
        Assert.Equal("annexb=no", audio.GetFmtp(18)!.Parameters);
    }

    [Fact]
    public void When_the_callers_codec_is_offered_first_to_the_target_and_the_target_answers_PCMA_Should_report_PCMA()
    {
        var offer = SdpOfferAnswer.CreateOffer(Options(SdpCodec.Pcmu, SdpCodec.Pcma));
        var answer = SdpSamples.Parse(SdpSamples.Lines("v=0", "o=- 5 5 IN IP4 198.51.100.9", "s=-", "c=IN IP4 198.51.100.9", "t=0 0",
            "m=audio 50000 RTP/AVP 8 101", "a=rtpmap:101 telephone-event/8000", "a=ptime:20"));

        var audio = SdpOfferAnswer.ReadAnswer(offer, answer);

        Assert.Equal(new SdpRtpMap(8, "PCMA", 8000), audio!.Codec);
        Assert.Equal(101, audio.TelephoneEvent!.PayloadType);
        Assert.Equal(("198.51.100.9", 50000, 50001), (audio.RemoteConnection!.Address, audio.RemotePort, audio.RemoteRtcpPort));
        Assert.Equal(SdpDirection.SendRecv, audio.Direction);
    }

    [Fact]
    public void When_the_answer_is_recvonly_Should_leave_us_sendonly()
    {
        var offer = SdpOfferAnswer.CreateOffer(Options(SdpCodec.Pcmu));
        var answer = SdpSamples.Parse(SdpSamples.Lines("v=0", "o=- 5 5 IN IP4 198.51.100.9", "s=-", "c=IN IP4 198.51.100.9", "t=0 0",
            "m=audio 50000 RTP/AVP 0", "a=recvonly"));

        Assert.Equal(SdpDirection.SendOnly, SdpOfferAnswer.ReadAnswer(offer, answer)!.Direction);
    }

    [Fact]
    public void When_the_answer_refuses_the_audio_stream_Should_report_no_audio()
    {
        var offer = SdpOfferAnswer.CreateOffer(Options(SdpCodec.Pcmu));
        var answer = SdpSamples.Parse(SdpSamples.Lines("v=0", "o=- 5 5 IN IP4 198.51.100.9", "s=-", "c=IN IP4 198.51.100.9", "t=0 0",
            "m=audio 0 RTP/AVP 0"));

        Assert.Null(SdpOfferAnswer.ReadAnswer(offer, answer));
    }

    [Fact]
    public void When_our_own_answer_is_read_back_Should_agree_with_the_negotiation()
    {
        var offer = SdpSamples.Parse(SdpSamples.SoftphoneOffer);
        var accepted = Assert.IsType<SdpAnswerResult.Accepted>(SdpOfferAnswer.Answer(offer,
            new SdpAnswerOptions(SdpOrigin.Create("1", 1, Anchor), Anchor, 30000, [SdpCodec.Pcma])));

        var read = SdpOfferAnswer.ReadAnswer(offer, accepted.Answer);

        Assert.Equal(accepted.Audio.Codec, read!.Codec);
        Assert.Equal(accepted.Audio.TelephoneEvent, read.TelephoneEvent);
        Assert.Equal(30000, read.RemotePort);
    }
}
