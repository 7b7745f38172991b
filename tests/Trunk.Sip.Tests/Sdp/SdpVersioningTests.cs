using Trunk.Sip.Sdp;

namespace Trunk.Sip.Tests.Sdp;

public sealed class SdpVersioningTests
{
    [Fact]
    public void When_a_new_description_equals_the_previous_Should_keep_the_version()
    {
        var previous = SdpSamples.Parse(SdpSamples.SoftphoneOffer);

        var next = SdpVersioning.Follow(previous, SdpSamples.Parse(SdpSamples.SoftphoneOffer));

        Assert.Equal(previous.Origin, next.Origin);
    }

    [Fact]
    public void When_a_new_description_changes_Should_increment_the_version_by_one()
    {
        var previous = SdpSamples.Parse(SdpSamples.SoftphoneOffer);
        var changed = previous.WithMedia(0, previous.Media[0] with { Port = 8002 });

        var next = SdpVersioning.Follow(previous, changed);

        Assert.Equal(2UL, next.Origin.SessionVersion);
        Assert.Equal(8002, next.Media[0].Port);
    }

    [Fact]
    public void When_a_candidate_brings_another_origin_Should_keep_the_previous_session_id()
    {
        var previous = SdpSamples.Parse(SdpSamples.SoftphoneOffer);
        var candidate = previous with { Origin = previous.Origin with { SessionId = "999", SessionVersion = 50 } };

        Assert.Equal(previous.Origin, SdpVersioning.Follow(previous, candidate).Origin);
    }

    [Fact]
    public void When_a_re_offer_has_the_same_origin_version_Should_be_an_unchanged_session_refresh()
    {
        var previous = SdpSamples.Parse(SdpSamples.SoftphoneOffer);

        Assert.True(SdpVersioning.IsUnchanged(previous, SdpSamples.Parse(SdpSamples.SoftphoneOffer)));
        Assert.False(SdpVersioning.IsUnchanged(previous, previous.WithNextVersion()));
    }
}
