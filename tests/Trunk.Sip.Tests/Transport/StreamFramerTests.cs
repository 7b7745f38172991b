using System.Text;
using Trunk.Sip.Transport;

namespace Trunk.Sip.Tests.Transport;

public sealed class StreamFramerTests
{
    private const string Options =
        "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nContent-Length: 4\r\n\r\nbody";

    private static List<(FrameKind Kind, string Text)> Feed(StreamFramer framer, params string[] segments)
    {
        var frames = new List<(FrameKind, string)>();
        foreach (var segment in segments)
        {
            Assert.True(framer.Append(Encoding.ASCII.GetBytes(segment)));
            FrameKind kind;
            while ((kind = framer.TryRead(out var message)) != FrameKind.NeedMore)
            {
                frames.Add((kind, Encoding.ASCII.GetString(message)));
                if (kind == FrameKind.Oversize)
                {
                    return frames;
                }
            }
        }

        return frames;
    }

    [Fact]
    public void When_a_message_arrives_split_across_segments_Should_frame_it_once_complete()
    {
        var framer = new StreamFramer(65536);
        var frames = Feed(framer, Options[..10], Options[10..60], Options[60..^2], Options[^2..]);

        Assert.Equal([(FrameKind.Message, Options)], frames);
        Assert.Equal(0, framer.Buffered);
    }

    [Fact]
    public void When_messages_arrive_coalesced_Should_frame_each()
    {
        var frames = Feed(new StreamFramer(65536), Options + Options + Options[..20]);

        Assert.Equal(2, frames.Count);
        Assert.All(frames, f => Assert.Equal(Options, f.Text));
    }

    [Fact]
    public void When_the_body_is_split_Should_wait_for_content_length_bytes()
    {
        var framer = new StreamFramer(65536);

        Assert.Empty(Feed(framer, Options[..^3]));
        Assert.Single(Feed(framer, Options[^3..]));
    }

    [Fact]
    public void When_a_double_crlf_ping_arrives_Should_report_a_ping()
    {
        var frames = Feed(new StreamFramer(65536), "\r\n\r\n" + Options);

        Assert.Equal([FrameKind.KeepAlivePing, FrameKind.Message], frames.Select(f => f.Kind));
    }

    [Fact]
    public void When_a_ping_is_split_in_two_Should_still_report_a_ping()
    {
        var frames = Feed(new StreamFramer(65536), "\r\n", "\r\n");

        Assert.Equal([FrameKind.KeepAlivePing], frames.Select(f => f.Kind));
    }

    [Fact]
    public void When_a_single_crlf_precedes_a_message_Should_skip_it_as_a_pong()
    {
        var frames = Feed(new StreamFramer(65536), "\r\n" + Options);

        Assert.Equal([FrameKind.KeepAlivePong, FrameKind.Message], frames.Select(f => f.Kind));
    }

    [Fact]
    public void When_the_content_length_passes_the_limit_Should_report_oversize()
    {
        var frames = Feed(new StreamFramer(1024), "INVITE sip:a@b SIP/2.0\r\nContent-Length: 5000\r\n\r\n");

        Assert.Equal(FrameKind.Oversize, Assert.Single(frames).Kind);
    }

    [Fact]
    public void When_headers_never_end_within_the_limit_Should_report_oversize()
    {
        var framer = new StreamFramer(1024);
        var frames = Feed(framer, "INVITE sip:a@b SIP/2.0\r\n" + new string('X', 1002));

        Assert.Equal(FrameKind.Oversize, Assert.Single(frames).Kind);
        Assert.False(framer.Append(new byte[100]));
    }

    [Fact]
    public void When_the_compact_form_is_used_Should_read_the_length()
    {
        var message = "MESSAGE sip:a@b SIP/2.0\r\nl :  2\r\n\r\nhi";

        Assert.Equal([(FrameKind.Message, message)], Feed(new StreamFramer(65536), message));
    }

    [Theory]
    [InlineData("Content-Length: 12\r\n", 12)]
    [InlineData("content-length:0\r\n", 0)]
    [InlineData("Content-Length:\r\n 7\r\n", 7)]
    [InlineData("Via: x\r\n", 0)]
    [InlineData("Content-Length: abc\r\n", -1)]
    [InlineData("Content-Length: -3\r\n", -1)]
    public void When_scanning_headers_Should_find_the_content_length(string headers, long expected) =>
        Assert.Equal(expected, ContentLengthScanner.Find(Encoding.ASCII.GetBytes("INVITE sip:a SIP/2.0\r\n" + headers)));
}
