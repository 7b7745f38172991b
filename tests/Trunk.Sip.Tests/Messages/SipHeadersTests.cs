using Trunk.Sip.Messages;

namespace Trunk.Sip.Tests.Messages;

public sealed class SipHeadersTests
{
    [Theory]
    [InlineData("i", SipHeaderNames.CallId)]
    [InlineData("M", SipHeaderNames.Contact)]
    [InlineData("e", SipHeaderNames.ContentEncoding)]
    [InlineData("l", SipHeaderNames.ContentLength)]
    [InlineData("c", SipHeaderNames.ContentType)]
    [InlineData("f", SipHeaderNames.From)]
    [InlineData("s", SipHeaderNames.Subject)]
    [InlineData("k", SipHeaderNames.Supported)]
    [InlineData("t", SipHeaderNames.To)]
    [InlineData("v", SipHeaderNames.Via)]
    [InlineData("r", SipHeaderNames.ReferTo)]
    [InlineData("b", SipHeaderNames.ReferredBy)]
    [InlineData("o", SipHeaderNames.Event)]
    [InlineData("u", SipHeaderNames.AllowEvents)]
    [InlineData("x", SipHeaderNames.SessionExpires)]
    [InlineData("y", SipHeaderNames.Identity)]
    [InlineData("call-id", SipHeaderNames.CallId)]
    [InlineData("CSEQ", SipHeaderNames.CSeq)]
    [InlineData("www-authenticate", SipHeaderNames.WwwAuthenticate)]
    [InlineData("X-Unknown", "X-Unknown")]
    [InlineData("q", "q")]
    public void When_a_name_is_compact_or_differently_cased_Should_canonicalize_it(string name, string canonical) =>
        Assert.Equal(canonical, SipHeaderNames.Canonicalize(name));

    [Fact]
    public void When_changing_headers_Should_return_new_collections_and_keep_order()
    {
        var original = SipHeaders.Empty.Add("Via", "SIP/2.0/UDP a").Add("X-A", "1").Add("v", "SIP/2.0/UDP b");

        var withTop = original.AddFirst("Via", "SIP/2.0/UDP top");
        var set = original.Set("x-a", "2");
        var removed = withTop.RemoveFirst("via");

        Assert.Equal(3, original.Count);
        Assert.Equal(["SIP/2.0/UDP top", "SIP/2.0/UDP a", "SIP/2.0/UDP b"], withTop.GetAll("v"));
        Assert.Equal("2", set.GetFirst("X-A"));
        Assert.Equal(1, set.CountOf("x-a"));
        Assert.Equal(original, removed);
        Assert.Equal(0, original.Remove("VIA").CountOf("Via"));
    }
}
