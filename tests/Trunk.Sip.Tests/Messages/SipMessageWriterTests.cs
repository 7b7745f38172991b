using System.Buffers;
using System.Text;
using Trunk.Sip.Messages;

namespace Trunk.Sip.Tests.Messages;

public sealed class SipMessageWriterTests
{
    [Fact]
    public void When_serializing_a_parsed_message_Should_write_canonical_bytes()
    {
        var message = SampleMessages.Parse("OPTIONS sip:a@b SIP/2.0\r\nv :  SIP/2.0/UDP h\r\n ;branch=z9hG4bK1\r\nX-Custom:  keep  me\r\nl: 0\r\n\r\n");

        Assert.Equal(
            "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h ;branch=z9hG4bK1\r\nX-Custom: keep  me\r\nContent-Length: 0\r\n\r\n",
            Encoding.UTF8.GetString(message.ToBytes()));
    }

    [Fact]
    public void When_serializing_the_REFER_Should_round_trip_byte_for_byte()
    {
        var message = SampleMessages.Parse(SampleMessages.Refer);
        var writer = new ArrayBufferWriter<byte>();

        message.WriteTo(writer);

        Assert.Equal(SampleMessages.Refer, Encoding.UTF8.GetString(writer.WrittenSpan));
        Assert.Equal(SampleMessages.Invite, Encoding.UTF8.GetString(SampleMessages.Parse(SampleMessages.Invite).ToBytes()));
    }

    [Fact]
    public void When_the_body_changes_Should_write_the_new_Content_Length()
    {
        var message = SampleMessages.Parse(SampleMessages.Refer).WithBody("SIP/2.0 200 OK\r\n"u8.ToArray(), "message/sipfrag");

        var text = Encoding.UTF8.GetString(message.ToBytes());

        Assert.Contains("Content-Length: 16\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("Content-Type: message/sipfrag\r\n\r\nSIP/2.0 200 OK\r\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(999)]
    [InlineData(1000)]
    [InlineData(10000)]
    public void When_the_body_length_crosses_a_power_of_ten_Should_size_Content_Length_exactly(int length)
    {
        var body = Enumerable.Repeat((byte)'x', length).ToArray();
        var message = SampleMessages.Parse(SampleMessages.Refer).WithBody(body, "text/plain");

        var parsed = SipMessageParser.Parse(message.ToBytes());

        Assert.Equal(length, parsed.ContentLength);
        Assert.Equal(body, parsed.Body.ToArray());
    }
}
