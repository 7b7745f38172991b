using Trunk.Sip.Messages;

namespace Trunk.Sip.Tests.Messages.Validation;

public sealed class SipRequestValidatorTests
{
    [Fact]
    public void When_the_request_is_sound_Should_pass() =>
        Assert.Null(SipRequestValidator.Validate(SampleMessages.ParseRequest(SampleMessages.Invite)));

    [Theory]
    [InlineData("Call-ID: 2-12345@192.168.1.100\r\n", "", 400, "Missing Call-ID header")]
    [InlineData("CSeq: 1 INVITE\r\n", "CSeq: 1 INVITE\r\nCSeq: 2 INVITE\r\n", 400, "Multiple CSeq headers")]
    [InlineData("CSeq: 1 INVITE\r\n", "CSeq: 1 BYE\r\n", 400, "CSeq method does not match Request-Line")]
    [InlineData("Max-Forwards: 70\r\n", "Max-Forwards: 300\r\n", 400, "Malformed Max-Forwards header")]
    [InlineData("Call-ID: 2-12345@192.168.1.100\r\n", "Call-ID: a b\r\n", 400, "Malformed Call-ID header")]
    [InlineData("Supported: replaces, timer\r\n", "Require: replaces, foo, bar\r\n", 420, "Bad Extension")]
    [InlineData("Content-Type: application/sdp\r\n", "Content-Type: application/unknownformat\r\n", 415, "Unsupported Media Type")]
    [InlineData("Content-Type: application/sdp\r\n", "", 400, "Missing Content-Type header")]
    [InlineData("Supported: replaces, timer\r\n", "Accept: text/nobodyKnowsThis\r\n", 406, "Not Acceptable")]
    public void When_a_header_is_wrong_Should_answer_with_the_RFC_code(string replace, string with, int code, string reason)
    {
        var request = SampleMessages.ParseRequest(SampleMessages.Invite.Replace(replace, with, StringComparison.Ordinal));

        var failure = SipRequestValidator.Validate(request);

        Assert.NotNull(failure);
        Assert.Equal(code, failure.StatusCode);
        Assert.Equal(reason, failure.Reason);
    }

    [Fact]
    public void When_Require_names_unknown_extensions_Should_list_them_in_Unsupported()
    {
        var request = SampleMessages.ParseRequest(SampleMessages.Invite.Replace("Supported: replaces, timer\r\n", "Require: replaces, foo, bar\r\n", StringComparison.Ordinal));

        var response = SipRequestValidator.Validate(request)!.CreateResponse(request, "t1");

        Assert.Equal(420, response.StatusCode);
        Assert.Equal(["foo", "bar"], response.GetUnsupported());
        Assert.Equal("t1", response.To?.Tag);
    }

    [Fact]
    public void When_the_method_is_unknown_Should_answer_501_with_Allow()
    {
        var request = SampleMessages.ParseRequest(SampleMessages.Refer.Replace("REFER", "PUBLISH", StringComparison.Ordinal));

        var failure = SipRequestValidator.Validate(request);

        Assert.Equal(501, failure?.StatusCode);
        Assert.Contains(SipMethod.Refer, failure!.CreateResponse(request).GetAllow()!);
    }

    [Fact]
    public void When_the_scheme_is_unknown_Should_answer_416()
    {
        var request = SampleMessages.ParseRequest(SampleMessages.Refer.Replace("REFER sip:", "REFER im:", StringComparison.Ordinal));

        Assert.Equal(416, SipRequestValidator.Validate(request)?.StatusCode);
    }

    [Fact]
    public void When_Max_Forwards_is_zero_Should_answer_483_only_when_forwarding()
    {
        var request = SampleMessages.ParseRequest(SampleMessages.Refer.Replace("Max-Forwards: 70", "Max-Forwards: 0", StringComparison.Ordinal));

        Assert.Null(SipRequestValidator.Validate(request));
        Assert.Equal(483, SipRequestValidator.Validate(request, SipValidationOptions.Default with { ForwardsRequests = true })?.StatusCode);
        Assert.Equal(483, SipRequestValidator.CheckMaxForwards(request)?.StatusCode);
    }
}
