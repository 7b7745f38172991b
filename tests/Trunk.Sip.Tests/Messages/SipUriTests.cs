using Trunk.Sip.Messages;

namespace Trunk.Sip.Tests.Messages;

public sealed class SipUriTests
{
    [Fact]
    public void When_parsing_a_full_sip_uri_Should_expose_every_component()
    {
        var uri = SipUri.Parse("sips:alice:secret@Example.COM:5061;transport=tcp;lr?subject=project%20x&priority=urgent");

        Assert.True(uri.IsSecure);
        Assert.Equal("alice", uri.User);
        Assert.Equal("secret", uri.Password);
        Assert.Equal("Example.COM", uri.Host);
        Assert.Equal(5061, uri.Port);
        Assert.Equal("tcp", uri.Transport);
        Assert.True(uri.IsLooseRouter);
        Assert.Equal("project x", uri.Headers.Get("subject"));
        Assert.Equal("urgent", uri.Headers.Get("priority"));
    }

    [Theory]
    [InlineData("sip:[2001:db8::10]", "[2001:db8::10]", null)]
    [InlineData("sip:[2001:db8::10]:5070", "[2001:db8::10]", 5070)]
    [InlineData("sip:[2001:db8::10:5070]", "[2001:db8::10:5070]", null)]
    [InlineData("sip:user@[::ffff:192.0.2.2]", "[::ffff:192.0.2.2]", null)]
    [InlineData("sip:user@[2001:db8:::192.0.2.1]", "[2001:db8:::192.0.2.1]", null)]
    public void When_the_host_is_an_IPv6_reference_Should_keep_brackets_and_split_the_port(string text, string host, int? port)
    {
        var uri = SipUri.Parse(text);

        Assert.Equal(host, uri.Host);
        Assert.Equal(port, uri.Port);
    }

    [Theory]
    [InlineData("sip:2001:db8::10")]
    [InlineData("<sip:user@example.com>")]
    [InlineData("sip:user@example.com; lr")]
    [InlineData("sip:user@")]
    [InlineData("sip:@example.com")]
    [InlineData("sip:example.com:99999")]
    [InlineData("sip:example.com;;lr")]
    [InlineData("sip:[2001:db8::1")]
    [InlineData("1sip:example.com")]
    public void When_the_uri_is_malformed_Should_refuse_it(string text) => Assert.False(SipUri.TryParse(text, out _));

    [Fact]
    public void When_components_are_escaped_Should_decode_them_and_compare_per_RFC_3261_19_1_4()
    {
        var escaped = SipUri.Parse("sip:%75se%72@example.com;n%61me=v%61lue%25%34%31");
        var nulls = SipUri.Parse("sip:null-%00-null@example.com");

        Assert.Equal("user", escaped.User);
        Assert.Equal("value%41", escaped.Parameters.Get("name"));
        Assert.Equal(SipUri.Parse("sip:user@EXAMPLE.com;name=value%2541"), escaped);
        Assert.Equal("null-\0-null", nulls.User);
        Assert.NotEqual(SipUri.Parse("sip:%00@h"), SipUri.Parse("sip:%00%00@h"));
        Assert.NotEqual(SipUri.Parse("sip:a@h;transport=tcp"), SipUri.Parse("sip:a@h"));
    }

    [Fact]
    public void When_the_user_part_holds_semicolons_Should_keep_them_in_the_user()
    {
        var uri = SipUri.Parse("sip:user;par=u%40example.net@example.com");

        Assert.Equal("user;par=u@example.net", uri.User);
        Assert.Equal("example.com", uri.Host);
        Assert.Empty(uri.Parameters);
    }

    [Fact]
    public void When_the_scheme_is_tel_or_unknown_Should_parse_it()
    {
        var tel = SipUri.Parse("tel:+1-201-555-0123;phone-context=example.com");
        var other = SipUri.Parse("soap.beep://192.0.2.103:3002");

        Assert.True(tel.IsTel);
        Assert.Equal("+1-201-555-0123", tel.User);
        Assert.Equal("example.com", tel.Parameters.Get("phone-context"));
        Assert.Equal("soap.beep", other.Scheme);
        Assert.Equal("//192.0.2.103:3002", other.Opaque);
        Assert.False(other.IsSip);
    }

    [Fact]
    public void When_built_in_code_Should_escape_what_needs_escaping()
    {
        var uri = SipUri.Create("example.com", "I have spaces", 5060, SipParameters.Create(new SipParameter("transport", "tcp")));

        Assert.Equal("sip:I%20have%20spaces@example.com:5060;transport=tcp", uri.ToString());
        Assert.Equal(uri, SipUri.Parse(uri.ToString()));
        Assert.Equal("tel:+14155551234", SipUri.CreateTel("+14155551234").ToString());
    }
}
