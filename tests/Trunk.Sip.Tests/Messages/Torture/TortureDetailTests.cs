using System.Text;
using Trunk.Sip.Messages;

namespace Trunk.Sip.Tests.Messages.Torture;

/// <summary>What RFC 4475 and RFC 5118 say a receiver must understand in particular messages, beyond accept or reject.</summary>
public sealed class TortureDetailTests
{
    [Fact]
    public void Wsinv_folded_and_spaced_headers_are_understood()
    {
        var request = Load("rfc4475", "wsinv.dat");

        Assert.Equal("1918181833n", request.To?.Tag);
        Assert.Equal("J Rosenberg \\\"", request.From?.DisplayName);
        Assert.Equal(new CSeqHeader(9, SipMethod.Invite), request.CSeq);
        Assert.Equal(68, request.MaxForwards);
        Assert.Equal(["390skdjuw", "z9hG4bK9ikj8", "z9hG4bK30239"], request.Vias.Select(v => v.Branch));
        Assert.Equal("0.33", Assert.Single(request.Contacts).Q);
        Assert.Equal("newfangled value continued newfangled value", request.Headers.GetFirst("NewFangledHeader"));
        Assert.Equal(150, request.Body.Length);
    }

    [Fact]
    public void Escnull_keeps_escaped_nulls_in_two_distinct_contacts()
    {
        var contacts = Load("rfc4475", "escnull.dat").Contacts;

        Assert.Equal(["\0", "\0\0"], contacts.Select(c => c.Address?.Uri.User));
        Assert.Equal("null-\0-null", Load("rfc4475", "escnull.dat").To?.Uri.User);
    }

    [Fact]
    public void Esc02_has_two_contacts_and_an_unknown_method()
    {
        var request = Load("rfc4475", "esc02.dat");

        Assert.Equal("RE%47IST%45R", request.Method);
        Assert.Equal(2, request.Contacts.Count);
        Assert.Equal("<sip:alias2@host2.example.com>", request.Headers.GetFirst("C%6Fntact"));
    }

    [Fact]
    public void Semiuri_user_part_keeps_its_semicolon()
    {
        var uri = Load("rfc4475", "semiuri.dat").RequestUri;

        Assert.Equal("user;par=u@example.net", uri.User);
        Assert.Equal("example.com", uri.Host);
    }

    [Fact]
    public void Dblreq_ignores_the_octets_after_Content_Length()
    {
        var request = Load("rfc4475", "dblreq.dat");

        Assert.Equal(SipMethod.Register, request.Method);
        Assert.True(request.Body.IsEmpty);
        Assert.Equal("dblreq.0ha0isndaksdj99sdfafnl3lk233412", request.CallId);
    }

    [Fact]
    public void Cparam_and_regescrt_place_parameters_and_headers_where_the_RFC_says()
    {
        var contactParam = Assert.Single(Load("rfc4475", "cparam01.dat").Contacts).Address!;
        var urlParam = Assert.Single(Load("rfc4475", "cparam02.dat").Contacts).Address!;
        var escapedRoute = Assert.Single(Load("rfc4475", "regescrt.dat").Contacts).Address!;

        Assert.True(contactParam.Parameters.Contains("unknownparam"));
        Assert.False(contactParam.Uri.Parameters.Contains("unknownparam"));
        Assert.True(urlParam.Uri.Parameters.Contains("unknownparam"));
        Assert.Equal("<sip:sip.example.com>", escapedRoute.Uri.Headers.Get("Route"));
    }

    [Fact]
    public void Mpart01_binary_body_is_framed_by_Content_Length()
    {
        var request = Load("rfc4475", "mpart01.dat");

        Assert.Equal(553, request.Body.Length);
        Assert.Contains((byte)0, request.Body.ToArray());
        Assert.Equal("multipart/mixed", request.ContentType);
    }

    [Fact]
    public void Unreason_keeps_the_UTF_8_reason_phrase()
    {
        Assert.True(SipMessageParser.TryParse(File.ReadAllBytes(Path.Combine(TortureTests.DataPath("rfc4475"), "unreason.dat")), out var message, out _));

        var response = Assert.IsType<SipResponse>(message);
        Assert.StartsWith("= 2**3 * 5**2 но", response.ReasonPhrase, StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(TortureTests.DataPath("rfc4475"), "unreason.dat"))).Split("\r\n")[0], $"SIP/2.0 200 {response.ReasonPhrase}");
    }

    [Fact]
    public void Rfc5118_IPv6_references_are_understood()
    {
        Assert.Equal(5070, Load("rfc5118", "port-unambiguous.dat").RequestUri.Port);
        Assert.Null(Load("rfc5118", "port-ambiguous.dat").RequestUri.Port);
        Assert.Equal("[2001:db8::9:255]", Load("rfc5118", "via-received-param-with-delim.dat").TopVia?.Received);
        Assert.Equal("2001:db8::9:255", Load("rfc5118", "via-received-param-no-delim.dat").TopVia?.Received);
        Assert.Equal(["[2001:db8::9:1]", "192.0.2.1", "[2001:db8::9:255]"], Load("rfc5118", "mult-ip-in-header.dat").Vias.Select(v => v.Host));
        Assert.Equal("[::ffff:192.0.2.2]", Assert.Single(Load("rfc5118", "ipv4-mapped-ipv6.dat").Contacts).Address?.Uri.Host);
    }

    private static SipRequest Load(string rfc, string file) =>
        Assert.IsType<SipRequest>(SipMessageParser.Parse(File.ReadAllBytes(Path.Combine(TortureTests.DataPath(rfc), file))));
}
