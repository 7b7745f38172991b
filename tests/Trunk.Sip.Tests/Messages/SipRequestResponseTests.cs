using Trunk.Sip.Messages;

namespace Trunk.Sip.Tests.Messages;

public sealed class SipRequestResponseTests
{
    [Fact]
    public void When_creating_a_response_Should_copy_Via_From_To_CallId_CSeq_and_add_the_To_tag()
    {
        var request = SampleMessages.ParseRequest(SampleMessages.Invite.Replace(
            "Max-Forwards: 70\r\n", "Via: SIP/2.0/TCP proxy.example;branch=z9hG4bKp\r\nMax-Forwards: 70\r\n", StringComparison.Ordinal));

        var response = request.CreateResponse(180, toTag: "uas1");

        Assert.Equal(180, response.StatusCode);
        Assert.Equal("Ringing", response.ReasonPhrase);
        Assert.Equal(
            [SipHeaderNames.Via, SipHeaderNames.Via, SipHeaderNames.From, SipHeaderNames.To, SipHeaderNames.CallId, SipHeaderNames.CSeq],
            response.Headers.Select(h => h.Name));
        Assert.Equal(["z9hG4bK-524287-2", "z9hG4bKp"], response.Vias.Select(v => v.Branch));
        Assert.Equal("uas1", response.To?.Tag);
        Assert.Equal(request.CSeq, response.CSeq);
        Assert.True(response.Body.IsEmpty);
    }

    [Fact]
    public void When_To_already_has_a_tag_Should_keep_it()
    {
        var request = SampleMessages.ParseRequest(SampleMessages.Refer);

        var response = request.CreateResponse(202, toTag: "other");

        Assert.Equal("67890", response.To?.Tag);
        Assert.Equal("Accepted", response.ReasonPhrase);
    }

    [Fact]
    public void When_building_a_request_in_code_Should_serialize_and_parse_back()
    {
        var headers = SipHeaders.Empty
            .Add("v", ViaHeader.Create("udp", "10.0.0.1", 5060, "z9hG4bKabc").ToString())
            .Add(SipHeaderNames.From, new NameAddress(SipUri.Create("pbx.example", "alice")).WithTag("t1").ToString())
            .Add(SipHeaderNames.To, new NameAddress("Bob Smith", SipUri.Create("trunk.example", "bob"), SipParameters.Empty).ToString())
            .Add(SipHeaderNames.CallId, "c1@10.0.0.1")
            .Add(SipHeaderNames.CSeq, new CSeqHeader(7, SipMethod.Options).ToString());
        var request = new SipRequest(SipMethod.Options, SipUri.Create("trunk.example", "bob"), headers);

        var parsed = Assert.IsType<SipRequest>(SipMessageParser.Parse(request.ToBytes()));

        Assert.Equal(request.RequestUri, parsed.RequestUri);
        Assert.Equal("Bob Smith", parsed.To?.DisplayName);
        Assert.Equal("t1", parsed.From?.Tag);
        Assert.Equal("UDP", parsed.TopVia?.Transport);
        Assert.Equal(7, parsed.CSeq?.Number);
    }
}
