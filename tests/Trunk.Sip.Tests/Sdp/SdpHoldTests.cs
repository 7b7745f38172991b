using Trunk.Sip.Sdp;

namespace Trunk.Sip.Tests.Sdp;

public sealed class SdpHoldTests
{
    [Theory]
    [InlineData("a=sendonly", true)]
    [InlineData("a=inactive", true)]
    [InlineData("a=recvonly", false)]
    [InlineData("a=sendrecv", false)]
    public void When_a_re_INVITE_sets_a_direction_Should_detect_hold_from_it(string direction, bool held)
    {
        var sdp = SdpSamples.Parse(SdpSamples.HoldReInvite.Replace("a=sendonly", direction, StringComparison.Ordinal));

        Assert.Equal(held, SdpHold.IsOnHold(sdp));
    }

    [Fact]
    public void When_the_connection_address_is_0_0_0_0_Should_detect_hold()
    {
        Assert.True(SdpHold.IsOnHold(SdpSamples.Parse(SdpSamples.Rfc2543HoldReInvite)));
    }

    [Fact]
    public void When_the_session_level_says_inactive_Should_detect_hold()
    {
        var sdp = SdpSamples.Parse(SdpSamples.Lines("v=0", "o=- 1 2 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
            "a=inactive", "m=audio 4000 RTP/AVP 0"));

        Assert.True(SdpHold.IsOnHold(sdp));
    }

    [Fact]
    public void When_only_the_video_is_held_Should_not_call_the_session_held()
    {
        var sdp = SdpSamples.Parse(SdpSamples.AudioAndVideoOffer);
        sdp = sdp.WithMedia(1, sdp.Media[1].WithDirection(SdpDirection.SendOnly));

        Assert.True(SdpHold.IsHeld(sdp, sdp.Media[1]));
        Assert.False(SdpHold.IsOnHold(sdp));
    }

    [Fact]
    public void When_every_stream_is_refused_Should_not_call_it_hold()
    {
        var sdp = SdpSamples.Parse(SdpSamples.Lines("v=0", "o=- 1 2 IN IP4 10.0.0.1", "s=-", "t=0 0", "m=audio 0 RTP/AVP 0", "a=inactive"));

        Assert.False(SdpHold.IsOnHold(sdp));
    }

    [Fact]
    public void When_putting_a_sendrecv_call_on_hold_Should_offer_sendonly_with_the_next_version()
    {
        var current = SdpSamples.Parse(SdpSamples.SoftphoneOffer);

        var hold = SdpHold.CreateHoldOffer(current);

        Assert.Equal(SdpDirection.SendOnly, hold.Media[0].Direction);
        Assert.Equal(current.Origin.SessionVersion + 1, hold.Origin.SessionVersion);
        Assert.True(SdpHold.IsOnHold(hold));
        Assert.Equal(
            SdpSamples.SoftphoneOffer.Replace("a=sendrecv", "a=sendonly", StringComparison.Ordinal)
                .Replace("1700000000 1 IN", "1700000000 2 IN", StringComparison.Ordinal),
            hold.ToString());
    }

    [Fact]
    public void When_putting_a_recvonly_stream_on_hold_Should_offer_inactive()
    {
        var current = SdpSamples.Parse(SdpSamples.HoldReInvite.Replace("a=sendonly", "a=recvonly", StringComparison.Ordinal));

        Assert.Equal(SdpDirection.Inactive, SdpHold.CreateHoldOffer(current).Media[0].Direction);
    }

    [Fact]
    public void When_the_direction_was_at_session_level_Should_move_it_to_the_streams()
    {
        var current = SdpSamples.Parse(SdpSamples.Lines("v=0", "o=- 1 2 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
            "a=sendrecv", "m=audio 4000 RTP/AVP 0", "m=video 0 RTP/AVP 34"));

        var hold = SdpHold.CreateHoldOffer(current);

        Assert.Null(hold.Direction);
        Assert.Equal(SdpDirection.SendOnly, hold.Media[0].Direction);
        Assert.Null(hold.Media[1].Direction);
    }

    [Fact]
    public void When_already_on_hold_Should_offer_the_same_version()
    {
        var held = SdpSamples.Parse(SdpSamples.HoldReInvite);

        Assert.Equal(held.ToString(), SdpHold.CreateHoldOffer(held).ToString());
    }

    [Fact]
    public void When_resuming_Should_offer_sendrecv_with_the_next_version()
    {
        var held = SdpSamples.Parse(SdpSamples.HoldReInvite);

        var resumed = SdpHold.CreateResumeOffer(held);

        Assert.Equal(SdpDirection.SendRecv, resumed.Media[0].Direction);
        Assert.Equal(held.Origin.SessionVersion + 1, resumed.Origin.SessionVersion);
        Assert.False(SdpHold.IsOnHold(resumed));
    }
}
