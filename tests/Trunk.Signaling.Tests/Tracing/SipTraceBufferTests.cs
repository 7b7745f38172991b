using System.Net;
using System.Text;
using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Signaling.Tracing;

namespace Trunk.Signaling.Tests.Tracing;

/// <summary>When a live call's traced messages are handed over for publishing: as one batch once the oldest has waited long enough.</summary>
public sealed class SipTraceBufferTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly IPEndPoint Local = new(IPAddress.Loopback, 5060);
    private static readonly IPEndPoint Remote = new(IPAddress.Loopback, 5080);

    [Fact]
    public void When_the_oldest_message_has_not_waited_until_the_cutoff_Should_keep_every_message()
    {
        var buffer = new SipTraceBuffer();
        Add(buffer, Start, "INVITE sip:a@b SIP/2.0");

        Assert.Empty(buffer.Drain(Start - TimeSpan.FromMilliseconds(1)));
        Assert.Single(buffer.Drain());
    }

    [Fact]
    public void When_the_oldest_message_has_waited_until_the_cutoff_Should_hand_over_all_of_them_in_order()
    {
        var buffer = new SipTraceBuffer();
        Add(buffer, Start, "INVITE sip:a@b SIP/2.0");
        Add(buffer, Start + TimeSpan.FromSeconds(1), "SIP/2.0 200 OK");

        var drained = buffer.Drain(Start);

        Assert.Equal(["INVITE sip:a@b SIP/2.0", "SIP/2.0 200 OK"], drained.Select(m => m.Raw));
        Assert.Empty(buffer.Drain());
    }

    [Fact]
    public void When_a_message_carries_NUL_bytes_Should_hand_it_over_with_each_shown_as_the_NUL_symbol()
    {
        var buffer = new SipTraceBuffer();
        Add(buffer, Start, "INVITE sip:a@b SIP/2.0\r\nContent-Type: application/isup\r\n\r\n\u0001\u0000\u0002\u0000");

        var raw = Assert.Single(buffer.Drain()).Raw;

        Assert.DoesNotContain('\0', raw);
        Assert.EndsWith("\u0001\u2400\u0002\u2400", raw, StringComparison.Ordinal);
    }

    [Fact]
    public void When_drained_Should_measure_the_wait_from_the_next_message_captured()
    {
        var buffer = new SipTraceBuffer();
        Add(buffer, Start, "INVITE sip:a@b SIP/2.0");
        buffer.Drain();
        Add(buffer, Start + TimeSpan.FromSeconds(10), "BYE sip:a@b SIP/2.0");

        Assert.Empty(buffer.Drain(Start + TimeSpan.FromSeconds(9)));
        Assert.Single(buffer.Drain(Start + TimeSpan.FromSeconds(10)));
    }

    private static void Add(SipTraceBuffer buffer, DateTimeOffset at, string text) =>
        buffer.Add(at, LegSide.Caller, SipDirection.Received, "UDP", Local, Remote, Encoding.UTF8.GetBytes(text));
}
