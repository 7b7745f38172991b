using System.Text;
using Trunk.Sip.Messages;

namespace Trunk.Sip.Tests.Messages;

public sealed class SipFragmentTests
{
    [Theory]
    [InlineData("SIP/2.0 180 Ringing")]
    [InlineData("SIP/2.0 180 Ringing\r\n")]
    [InlineData("SIP/2.0 180 Ringing\r\n\r\n")]
    public void When_a_sipfrag_is_a_bare_status_line_Should_parse_it(string text)
    {
        Assert.True(SipFragment.TryParse(Encoding.UTF8.GetBytes(text), out var fragment));

        Assert.Equal(180, fragment.StatusCode);
        Assert.Equal("Ringing", fragment.ReasonPhrase);
        Assert.Empty(fragment.Headers);
        Assert.True(fragment.Body.IsEmpty);
    }

    [Fact]
    public void When_a_sipfrag_has_headers_Should_parse_them_without_an_empty_line()
    {
        Assert.True(SipFragment.TryParse("SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\ni: abc"u8, out var fragment));

        Assert.Equal(200, fragment.StatusCode);
        Assert.Equal("abc", fragment.Headers.GetFirst(SipHeaderNames.CallId));
    }

    [Fact]
    public void When_a_sipfrag_holds_a_request_line_Should_parse_it()
    {
        Assert.True(SipFragment.TryParse("INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"u8, out var fragment));

        Assert.Equal(SipMethod.Invite, fragment.Method);
        Assert.Equal("bob", fragment.RequestUri?.User);
        Assert.Null(fragment.StatusCode);
    }

    [Theory]
    [InlineData("SIP/2.0 1800 Ringing")]
    [InlineData("SIP/2.0 180 Ringing\r\nbad header line\r\n")]
    public void When_a_sipfrag_is_malformed_Should_refuse_it(string text) =>
        Assert.False(SipFragment.TryParse(Encoding.UTF8.GetBytes(text), out _));

    [Fact]
    public void When_building_a_sipfrag_for_a_response_Should_write_the_status_line_alone()
    {
        var fragment = SipFragment.ForStatus(180);

        Assert.Equal("SIP/2.0 180 Ringing\r\n", fragment.ToString());
        Assert.Equal("SIP/2.0 503 Service Unavailable\r\nRetry-After: 30\r\n",
            SipFragment.ForStatus(503, headers: SipHeaders.Empty.Add(SipHeaderNames.RetryAfter, "30")).ToString());
        Assert.True(SipFragment.TryParse(fragment.ToBytes(), out var parsed));
        Assert.Equal(180, parsed.StatusCode);
    }
}
