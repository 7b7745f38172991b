using Trunk.Sip.Messages;

namespace Trunk.Sip.Tests.Messages.Headers;

public sealed class NameAddressTests
{
    [Theory]
    [InlineData("\"J Rosenberg \\\\\\\"\"  <sip:jdrosen@example.com> ; tag = 98asjd8", "J Rosenberg \\\"", "98asjd8")]
    [InlineData("caller<sip:caller@example.com>;tag=323", "caller", "323")]
    [InlineData("A. Bell <sip:a.g.bell@example.com>;tag=qweoiqpe", "A. Bell", "qweoiqpe")]
    [InlineData("sip:user@example.com;tag=1918181833n", null, "1918181833n")]
    [InlineData("<sip:user@example.com>", null, null)]
    public void When_parsing_a_name_addr_Should_expose_display_name_uri_and_tag(string value, string? displayName, string? tag)
    {
        Assert.True(NameAddress.TryParse(value, out var address));

        Assert.Equal(displayName, address.DisplayName);
        Assert.Equal(tag, address.Tag);
        Assert.True(address.Uri.IsSip);
    }

    [Fact]
    public void When_the_uri_is_bare_Should_give_the_parameters_to_the_header()
    {
        Assert.True(NameAddress.TryParse("sip:+19725552222@gw1.example.net;unknownparam", out var bare));
        Assert.True(NameAddress.TryParse("<sip:+19725552222@gw1.example.net;unknownparam>", out var bracketed));

        Assert.True(bare.Parameters.Contains("unknownparam"));
        Assert.Empty(bare.Uri.Parameters);
        Assert.True(bracketed.Uri.Parameters.Contains("unknownparam"));
        Assert.Empty(bracketed.Parameters);
    }

    [Theory]
    [InlineData("\"Mr. J. User <sip:j.user@example.com>")]
    [InlineData("\"Watson, Thomas\" < sip:t.watson@example.org >")]
    [InlineData("Bell, Alexander <sip:a.g.bell@example.com>;tag=43")]
    [InlineData("sip:user@example.com?Route=%3Csip:sip.example.com%3E")]
    [InlineData("\"Joe\" <sip:joe@example.org>;;;;")]
    [InlineData("<sip:joe@example.org")]
    [InlineData("")]
    public void When_a_name_addr_is_malformed_Should_refuse_it(string value) => Assert.False(NameAddress.TryParse(value, out _));

    [Fact]
    public void When_printed_Should_quote_the_display_name_and_bracket_the_uri()
    {
        var address = new NameAddress("Front \"Desk\"", SipUri.Parse("sip:1000@pbx.example.com"), SipParameters.Empty).WithTag("t");

        Assert.Equal("\"Front \\\"Desk\\\"\" <sip:1000@pbx.example.com>;tag=t", address.ToString());
        Assert.Equal(address, NameAddress.Parse(address.ToString()));
    }

    [Fact]
    public void When_contact_is_a_wildcard_or_a_list_Should_parse_every_value()
    {
        var contacts = new List<ContactHeader>();

        Assert.True(ContactHeader.TryParseList(" * ", contacts));
        Assert.True(ContactHeader.TryParseList("<sip:a@h1>;expires=3600;q=0.5, \"B, Esq.\" <sip:b@h2>", contacts));

        Assert.True(contacts[0].IsWildcard);
        Assert.Equal(3600, contacts[1].Expires);
        Assert.Equal("0.5", contacts[1].Q);
        Assert.Equal("B, Esq.", contacts[2].Address?.DisplayName);
        Assert.Null(new ContactHeader(NameAddress.Parse("<sip:a@h>;expires=280297596632815")).Expires);
    }
}
