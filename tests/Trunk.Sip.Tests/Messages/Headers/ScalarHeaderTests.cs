using Trunk.Sip.Messages;

namespace Trunk.Sip.Tests.Messages.Headers;

public sealed class ScalarHeaderTests
{
    [Theory]
    [InlineData("1 INVITE", 1, "INVITE")]
    [InlineData("0009 INVITE", 9, "INVITE")]
    [InlineData("2147483647 ACK", 2147483647, "ACK")]
    public void When_CSeq_is_well_formed_Should_parse_number_and_method(string value, long number, string method)
    {
        Assert.True(CSeqHeader.TryParse(value, out var cseq));
        Assert.Equal(new CSeqHeader(number, method), cseq);
    }

    [Theory]
    [InlineData("2147483648 INVITE")]
    [InlineData("36893488147419103232 REGISTER")]
    [InlineData("INVITE")]
    [InlineData("1INVITE")]
    [InlineData("1 INVITE extra")]
    public void When_CSeq_is_malformed_or_too_large_Should_refuse_it(string value) => Assert.False(CSeqHeader.TryParse(value, out _));

    [Fact]
    public void When_parsing_Event_and_Subscription_State_Should_expose_id_and_parameters()
    {
        Assert.True(EventHeader.TryParse("refer;id=93809824", out var evt));
        Assert.True(SubscriptionStateHeader.TryParse("terminated;reason=noresource;retry-after=30", out var terminated));
        Assert.True(SubscriptionStateHeader.TryParse("Active;expires=60", out var active));

        Assert.Equal("refer", evt.Package);
        Assert.Equal("93809824", evt.Id);
        Assert.True(evt.Matches(new EventHeader("REFER", SipParameters.Create(new SipParameter("id", "93809824")))));
        Assert.True(terminated.IsTerminated);
        Assert.Equal("noresource", terminated.Reason);
        Assert.Equal(30, terminated.RetryAfter);
        Assert.Equal(SubscriptionStateHeader.Active, active.State);
        Assert.Equal(60, active.Expires);
    }

    [Fact]
    public void When_parsing_Replaces_Should_expose_dialog_identifiers()
    {
        Assert.True(ReplacesHeader.TryParse("425928@bobster.example.org;to-tag=7743;from-tag=6472;early-only", out var replaces));

        Assert.Equal(new ReplacesHeader("425928@bobster.example.org", "7743", "6472", EarlyOnly: true), replaces);
        Assert.False(ReplacesHeader.TryParse("425928@bobster.example.org;to-tag=7743", out _));
    }

    [Fact]
    public void When_parsing_Reason_Should_expose_protocol_cause_and_text()
    {
        var reasons = new List<ReasonHeader>();

        Assert.True(ReasonHeader.TryParseList("SIP ;cause=200 ;text=\"Call completed elsewhere\", Q.850;cause=16", reasons));

        Assert.Equal(["SIP", "Q.850"], reasons.Select(r => r.Protocol));
        Assert.Equal(200, reasons[0].Cause);
        Assert.Equal("Call completed elsewhere", reasons[0].Text);
        Assert.Equal(16, reasons[1].Cause);
        Assert.Equal("Q.850;cause=16;text=\"Normal\"", ReasonHeader.Create("Q.850", 16, "Normal").ToString());
    }

    [Fact]
    public void When_parsing_Refer_Sub_Retry_After_and_Warning_Should_check_their_ranges()
    {
        Assert.True(ReferSubHeader.TryParse("false", out var referSub));
        Assert.True(RetryAfterHeader.TryParse("18000 (in a meeting);duration=3600", out var retryAfter));
        var warnings = new List<WarningHeader>();
        Assert.True(WarningHeader.TryParseList("307 isi.edu \"Session parameter 'foo' not understood\", 399 [2001:db8::1] \"x\"", warnings));

        Assert.False(referSub.Subscribe);
        Assert.Equal(18000, retryAfter.Seconds);
        Assert.Equal("in a meeting", retryAfter.Comment);
        Assert.Equal(3600, retryAfter.Duration);
        Assert.Equal(307, warnings[0].Code);
        Assert.Equal("isi.edu", warnings[0].Agent);
        Assert.Equal("Session parameter 'foo' not understood", warnings[0].Text);
        Assert.False(RetryAfterHeader.TryParse("949302838503028349304023988", out _));
        Assert.False(WarningHeader.TryParse("1812 overture \"In Progress\"", out _));
        Assert.False(ReferSubHeader.TryParse("maybe", out _));
    }

    [Fact]
    public void When_parsing_token_lists_and_media_types_Should_split_and_normalize()
    {
        var tokens = new List<string>();

        Assert.True(TokenList.TryParse("replaces, timer ,100rel", tokens));
        Assert.True(TokenList.TryParse("", tokens));
        Assert.False(TokenList.TryParse("a b", []));
        Assert.True(MediaType.TryParse("Multipart/Mixed;boundary=7a9cbec02ceef655", out var mediaType));

        Assert.Equal(["replaces", "timer", "100rel"], tokens);
        Assert.Equal("multipart/mixed", mediaType.MimeType);
        Assert.Equal("7a9cbec02ceef655", mediaType.Parameters.Get("boundary"));
        Assert.True(MediaType.TryParse("application/*", out var range) && range.Covers("application/sdp"));
    }
}
