using Trunk.Sip.Messages;

namespace Trunk.Sip.Tests.Messages.Headers;

public sealed class ViaHeaderTests
{
    [Fact]
    public void When_parsing_a_via_Should_expose_transport_sent_by_and_parameters()
    {
        Assert.True(ViaHeader.TryParse("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776;received=198.51.100.7;rport=5061", out var via));

        Assert.Equal("SIP/2.0", via.Protocol);
        Assert.Equal("UDP", via.Transport);
        Assert.Equal("192.0.2.1", via.Host);
        Assert.Equal(5060, via.Port);
        Assert.Equal("z9hG4bK776", via.Branch);
        Assert.True(via.IsRfc3261Branch);
        Assert.Equal("198.51.100.7", via.Received);
        Assert.Equal(5061, via.RPort);
    }

    [Fact]
    public void When_a_field_holds_comma_separated_values_with_LWS_Should_parse_each()
    {
        var list = new List<ViaHeader>();

        Assert.True(ViaHeader.TryParseList("SIP  / 2.0  / tcp     spindle.example.com   ; branch  =   z9hG4bK9ikj8  , SIP/2.0/UDP [2001:db8::9:1]:6050;received=2001:db8::9:255", list));

        Assert.Equal(["spindle.example.com", "[2001:db8::9:1]"], list.Select(v => v.Host));
        Assert.Equal("TCP", list[0].Transport);
        Assert.Equal("z9hG4bK9ikj8", list[0].Branch);
        Assert.Equal(6050, list[1].Port);
        Assert.Equal("2001:db8::9:255", list[1].Received);
    }

    [Theory]
    [InlineData("SIP/2.0/UDP 192.0.2.15;;,;,,")]
    [InlineData("SIP/2.0 host")]
    [InlineData("SIP/2.0/UDP")]
    [InlineData("SIP/2.0/UDP host:abc")]
    [InlineData("SIP/2.0/UDP host;branch=")]
    public void When_a_via_is_malformed_Should_refuse_it(string value) => Assert.False(ViaHeader.TryParseList(value, []));

    [Fact]
    public void When_created_in_code_Should_print_the_canonical_form()
    {
        var via = ViaHeader.Create("tcp", "10.0.0.1", 5060, "z9hG4bKx").WithParameter("rport", null);

        Assert.Equal("SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bKx;rport", via.ToString());
        Assert.True(via.HasRPort);
    }
}
