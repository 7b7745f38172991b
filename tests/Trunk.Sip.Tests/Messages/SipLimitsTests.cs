using System.Text;
using Trunk.Sip.Messages;

namespace Trunk.Sip.Tests.Messages;

public sealed class SipLimitsTests
{
    [Fact]
    public void When_a_message_exceeds_64_KiB_Should_drop_it()
    {
        var body = new string('x', SipLimits.MaxMessageSize);
        var text = SampleMessages.Refer.Replace("Content-Length: 0", $"Content-Length: {body.Length}", StringComparison.Ordinal) + body;

        Assert.False(SipMessageParser.TryParse(Encoding.ASCII.GetBytes(text), out _, out var error));
        Assert.True(error.ShouldDrop);
        Assert.Equal(513, error.StatusCode);
    }

    [Fact]
    public void When_a_message_has_too_many_headers_Should_drop_it()
    {
        var extra = string.Concat(Enumerable.Range(0, SipLimits.MaxHeaderCount).Select(i => $"X-{i}: {i}\r\n"));
        var text = SampleMessages.Refer.Replace("Max-Forwards: 70\r\n", extra, StringComparison.Ordinal);

        Assert.False(SipMessageParser.TryParse(Encoding.ASCII.GetBytes(text), out _, out var error));
        Assert.True(error.ShouldDrop);
        Assert.Equal("Too many headers", error.Reason);
    }

    [Fact]
    public void When_a_header_line_is_too_long_Should_drop_it()
    {
        var text = SampleMessages.Refer.Replace("Max-Forwards: 70", "X-Long: " + new string('a', SipLimits.MaxLineLength), StringComparison.Ordinal);

        Assert.False(SipMessageParser.TryParse(Encoding.ASCII.GetBytes(text), out _, out var error));
        Assert.True(error.ShouldDrop);
        Assert.Equal("Header line too long", error.Reason);
    }

    [Fact]
    public void When_folded_lines_add_up_past_the_line_limit_Should_drop_it()
    {
        var folds = string.Concat(Enumerable.Repeat("\r\n " + new string('a', 1000), 10));
        var text = SampleMessages.Refer.Replace("Max-Forwards: 70", "X-Folded: a" + folds, StringComparison.Ordinal);

        Assert.False(SipMessageParser.TryParse(Encoding.ASCII.GetBytes(text), out _, out var error));
        Assert.True(error.ShouldDrop);
        Assert.Equal("Header value too long", error.Reason);
    }
}
