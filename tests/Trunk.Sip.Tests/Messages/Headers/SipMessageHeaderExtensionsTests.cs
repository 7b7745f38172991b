using Trunk.Sip.Messages;

namespace Trunk.Sip.Tests.Messages.Headers;

public sealed class SipMessageHeaderExtensionsTests
{
    private const string AttendedTransfer =
        "REFER sip:trunk@a1b2c3.trunk.example SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 192.168.1.100:5060;branch=z9hG4bK-1\r\n" +
        "Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\n" +
        "Route: <sip:p3.example.com;lr>\r\n" +
        "Record-Route: <sip:rr.example.com;lr>\r\n" +
        "From: <sip:endpoint@pbx.example.com>;tag=12345\r\n" +
        "To: <sip:trunk@a1b2c3.trunk.example>;tag=67890\r\n" +
        "Call-ID: 1-12345@192.168.1.100\r\n" +
        "CSeq: 2 REFER\r\n" +
        "r: <sip:carol@a1b2c3.trunk.example?Replaces=425928%40bobster.example.org%3Bto-tag%3D7743%3Bfrom-tag%3D6472>\r\n" +
        "b: \"Alice\" <sip:alice@pbx.example.com>\r\n" +
        "Refer-Sub: false\r\n" +
        "P-Asserted-Identity: \"Alice\" <sip:alice@pbx.example.com>, <tel:+14155550100>\r\n" +
        "Diversion: <sip:+14155550111@pbx.example.com>;reason=unconditional;counter=1\r\n" +
        "Supported: replaces, norefersub\r\n" +
        "Allow: INVITE, ACK, BYE\r\n" +
        "Reason: Q.850;cause=16\r\n" +
        "Content-Length: 0\r\n\r\n";

    [Fact]
    public void When_reading_transfer_headers_Should_give_typed_values()
    {
        var message = SampleMessages.Parse(AttendedTransfer);

        Assert.Equal(["p1.example.com", "p2.example.com", "p3.example.com"], message.GetRoutes()!.Select(r => r.Uri.Host));
        Assert.True(Assert.Single(message.GetRecordRoutes()!).Uri.IsLooseRouter);
        Assert.Equal("carol", message.GetReferTo()?.Uri.User);
        Assert.Equal(new ReplacesHeader("425928@bobster.example.org", "7743", "6472", false), message.GetReferToReplaces());
        Assert.Equal("Alice", message.GetReferredBy()?.DisplayName);
        Assert.False(message.GetReferSub()?.Subscribe);
        Assert.Equal(["sip", "tel"], message.GetPAssertedIdentities()!.Select(a => a.Uri.Scheme));
        Assert.Equal("unconditional", Assert.Single(message.GetDiversions()!).Parameters.Get("reason"));
        Assert.Equal(["replaces", "norefersub"], message.GetSupported());
        Assert.Equal(["INVITE", "ACK", "BYE"], message.GetAllow());
        Assert.Equal(16, Assert.Single(message.GetReasons()!).Cause);
        Assert.Empty(message.GetRequire()!);
        Assert.Null(message.GetEvent());
    }

    [Fact]
    public void When_a_list_header_is_malformed_Should_return_null()
    {
        var message = SampleMessages.Parse(AttendedTransfer.Replace("Route: <sip:p3.example.com;lr>", "Route: <sip:p3.example.com;lr", StringComparison.Ordinal));

        Assert.Null(message.GetRoutes());
    }
}
