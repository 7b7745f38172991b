using Trunk.Sip.Messages;

namespace Trunk.Sip.Tests.Messages;

public sealed class SipMessageParserTests
{
    [Fact]
    public void When_parsing_the_issue_REFER_Should_expose_start_line_and_typed_headers()
    {
        var request = SampleMessages.ParseRequest(SampleMessages.Refer);

        Assert.Equal(SipMethod.Refer, request.Method);
        Assert.Equal("trunk", request.RequestUri.User);
        Assert.Equal("a1b2c3.trunk.example", request.RequestUri.Host);
        Assert.Equal(9, request.Headers.Count);
        Assert.Equal("1-12345@192.168.1.100", request.CallId);
        Assert.Equal(new CSeqHeader(1, SipMethod.Refer), request.CSeq);
        Assert.Equal("12345", request.From?.Tag);
        Assert.Equal("67890", request.To?.Tag);
        Assert.Equal(70, request.MaxForwards);
        Assert.Equal(0, request.ContentLength);
        Assert.True(request.Body.IsEmpty);
        var via = Assert.Single(request.Vias);
        Assert.Equal("UDP", via.Transport);
        Assert.Equal("192.168.1.100", via.Host);
        Assert.Equal(5060, via.Port);
        Assert.Equal("z9hG4bK-524287-1", via.Branch);
        Assert.Equal("endpoint", Assert.Single(request.Contacts).Address?.Uri.User);
    }

    [Fact]
    public void When_parsing_an_INVITE_with_SDP_Should_frame_the_body_by_Content_Length()
    {
        var request = SampleMessages.ParseRequest(SampleMessages.Invite + "trailing octets");

        Assert.Equal(SampleMessages.InviteSdp, System.Text.Encoding.UTF8.GetString(request.Body.Span));
        Assert.Equal("application/sdp", request.ContentType);
        Assert.Equal("Front Desk", request.From?.DisplayName);
        Assert.True(request.TopVia?.HasRPort);
        Assert.Null(request.TopVia?.RPort);
    }

    [Fact]
    public void When_headers_use_compact_forms_Should_map_them_to_full_names()
    {
        var request = SampleMessages.ParseRequest(
            "OPTIONS sip:a@b SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1\r\nf: <sip:x@y>;tag=1\r\nt: <sip:a@b>\r\n" +
            "i: abc\r\nCSEQ: 2 OPTIONS\r\nm: *\r\nk: timer\r\nr: <sip:c@d>\r\nb: <sip:e@f>\r\no: refer;id=3\r\nc: text/plain\r\nl: 2\r\n\r\nhi");

        Assert.Equal(
            [SipHeaderNames.Via, SipHeaderNames.From, SipHeaderNames.To, SipHeaderNames.CallId, SipHeaderNames.CSeq, SipHeaderNames.Contact,
             SipHeaderNames.Supported, SipHeaderNames.ReferTo, SipHeaderNames.ReferredBy, SipHeaderNames.Event, SipHeaderNames.ContentType,
             SipHeaderNames.ContentLength],
            request.Headers.Select(h => h.Name));
        Assert.True(Assert.Single(request.Contacts).IsWildcard);
        Assert.Equal("hi", System.Text.Encoding.ASCII.GetString(request.Body.Span));
    }

    [Fact]
    public void When_a_header_is_folded_Should_join_the_lines_with_one_space()
    {
        var request = SampleMessages.ParseRequest(
            "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n ;branch=z9hG4bK1\r\nSubject: one\r\n\t two  \r\n   three\r\nCall-ID: x\r\n\r\n");

        Assert.Equal("SIP/2.0/UDP h ;branch=z9hG4bK1", request.Headers.GetFirst("via"));
        Assert.Equal("one two three", request.Headers.GetFirst("s"));
        Assert.Equal("z9hG4bK1", request.TopVia?.Branch);
    }

    [Theory]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nCall-ID: x\r\nContent-Length: 5\r\n\r\nab", 400, "Content-Length larger than message")]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nContent-Length: -1\r\n\r\n", 400, "Malformed Content-Length")]
    [InlineData("INVITE sip:a@b SIP/3.0\r\n\r\n", 505, "Version Not Supported")]
    [InlineData("INVITE  sip:a@b SIP/2.0\r\n\r\n", 400, "Malformed Request-Line")]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nCSeq: 2147483648 INVITE\r\n\r\n", 400, "Malformed CSeq")]
    public void When_a_request_is_malformed_Should_return_an_error_naming_the_problem(string text, int code, string reason)
    {
        Assert.False(SipMessageParser.TryParse(SampleMessages.Bytes(text), out var message, out var error));
        Assert.Null(message);
        Assert.Equal(code, error.StatusCode);
        Assert.Equal(reason, error.Reason);
        Assert.False(error.CanRespond);
    }

    [Fact]
    public void When_a_malformed_request_has_the_transaction_headers_Should_allow_a_400_response()
    {
        var text = SampleMessages.Refer.Replace("REFER sip:trunk@a1b2c3.trunk.example", "REFER <sip:trunk@a1b2c3.trunk.example>", StringComparison.Ordinal);

        Assert.False(SipMessageParser.TryParse(SampleMessages.Bytes(text), out _, out var error));
        Assert.True(error.CanRespond);
        var response = error.CreateResponse("totag");
        Assert.NotNull(response);
        Assert.Equal(400, response.StatusCode);
        Assert.Equal("Malformed Request-URI", response.ReasonPhrase);
        Assert.Equal("z9hG4bK-524287-1", response.TopVia?.Branch);
    }

    [Fact]
    public void When_the_top_Via_of_a_malformed_request_is_garbage_Should_drop_it()
    {
        var text = SampleMessages.Refer
            .Replace("REFER sip:trunk@a1b2c3.trunk.example", "REFER <sip:trunk@a1b2c3.trunk.example>", StringComparison.Ordinal)
            .Replace("SIP/2.0/UDP 192.168.1.100:5060", "garbage", StringComparison.Ordinal);

        Assert.False(SipMessageParser.TryParse(SampleMessages.Bytes(text), out _, out var error));
        Assert.True(error.ShouldDrop);
    }

    [Theory]
    [InlineData("SIP/2.0 700 Too Big\r\nCall-ID: x\r\n\r\n")]
    [InlineData("SIP/2.0 20 OK\r\n\r\n")]
    [InlineData("SIP/2.0 200 OK\r\nCSeq: 99999999999 INVITE\r\n\r\n")]
    public void When_a_response_is_malformed_Should_flag_it_to_be_dropped(string text)
    {
        Assert.False(SipMessageParser.TryParse(SampleMessages.Bytes(text), out _, out var error));
        Assert.True(error.ShouldDrop);
        Assert.Null(error.CreateResponse());
    }
}
