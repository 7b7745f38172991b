using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using MassTransit.Serialization;
using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Signaling.Tracing;
using Trunk.Sip.Messages;
using Trunk.Sip.Transport;

namespace Trunk.Signaling.Tests.Tracing;

/// <summary>
/// When a live call's traced messages are handed over for publishing (as one batch once the oldest has waited long
/// enough), and that each is written as the <see cref="TracedSipMessage"/> MassTransit's serializer would write, with its
/// wire form whatever the chunks it was kept in.
/// </summary>
public sealed class SipTraceBufferTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly IPEndPoint Local = new(IPAddress.Loopback, 5060);
    private static readonly IPEndPoint Remote = new(IPAddress.Loopback, 5080);
    private static readonly IPEndPoint RemoteV6 = new(IPAddress.Parse("fe80::1%3"), 5080);

    [Fact]
    public void When_the_oldest_message_has_not_waited_until_the_cutoff_Should_keep_every_message()
    {
        var buffer = NewBuffer();
        Add(buffer, Start, Invite());

        Assert.Null(buffer.Drain(Start - TimeSpan.FromMilliseconds(1)));
        Assert.Single(Read(buffer.Drain()));
    }

    [Fact]
    public void When_the_oldest_message_has_waited_until_the_cutoff_Should_hand_over_all_of_them_in_order()
    {
        var buffer = NewBuffer();
        var invite = Invite();
        var ok = Message("SIP/2.0 200 OK\r\nCall-ID: a\r\n\r\n");
        Add(buffer, Start, invite);
        Add(buffer, Start + TimeSpan.FromSeconds(1), ok);

        var drained = Read(buffer.Drain(Start));

        Assert.Equal([invite.ToString(), ok.ToString()], drained.Select(m => m.Raw));
        Assert.Equal([Start, Start + TimeSpan.FromSeconds(1)], drained.Select(m => m.At));
        Assert.Equal(["127.0.0.1:5060"], drained.Select(m => m.LocalAddress).Distinct());
        Assert.Equal(["127.0.0.1:5080"], drained.Select(m => m.RemoteAddress).Distinct());
        Assert.Null(buffer.Drain());
    }

    [Fact]
    public void When_a_message_carries_NUL_bytes_Should_hand_it_over_with_each_shown_as_the_NUL_symbol()
    {
        var buffer = NewBuffer();
        Add(buffer, Start, Message("INVITE sip:a@b SIP/2.0\r\nContent-Type: application/isup\r\nContent-Length: 4\r\n\r\n\u0001\u0000\u0002\u0000"));

        var raw = Assert.Single(Read(buffer.Drain())).Raw;

        Assert.DoesNotContain('\0', raw);
        Assert.EndsWith("\u0001\u2400\u0002\u2400", raw, StringComparison.Ordinal);
    }

    [Fact]
    public void When_drained_Should_measure_the_wait_from_the_next_message_captured()
    {
        var buffer = NewBuffer();
        Add(buffer, Start, Invite());
        buffer.Drain();
        Add(buffer, Start + TimeSpan.FromSeconds(10), Message("BYE sip:a@b SIP/2.0\r\nCall-ID: a\r\n\r\n"));

        Assert.Null(buffer.Drain(Start + TimeSpan.FromSeconds(9)));
        Assert.Single(Read(buffer.Drain(Start + TimeSpan.FromSeconds(10))));
    }

    [Fact]
    public void When_messages_fill_several_chunks_and_one_is_larger_than_a_chunk_Should_hand_each_over_whole_and_in_order()
    {
        var pool = new TraceChunkPool(chunkSize: 256, maxKept: 8);
        var buffer = new SipTraceBuffer(pool);
        SipMessage[] messages =
        [
            Invite(),
            Message("SIP/2.0 100 Trying\r\nCall-ID: a\r\n\r\n"),
            Message("SIP/2.0 200 OK\r\nCall-ID: a\r\nContent-Type: application/sdp\r\nContent-Length: 300\r\n\r\n" + new string('v', 300)),
            Message("ACK sip:a@b SIP/2.0\r\nCall-ID: a\r\n\r\n"),
            Message("BYE sip:a@b SIP/2.0\r\nCall-ID: a\r\n\r\n"),
        ];
        foreach (var message in messages)
        {
            Add(buffer, Start, message);
        }

        Assert.Equal(messages.Select(m => m.ToString()), Read(buffer.Drain()).Select(m => m.Raw));
    }

    [Fact]
    public void When_drained_messages_are_written_Should_give_their_chunks_back_for_the_next_call_without_mixing_their_messages()
    {
        var pool = new TraceChunkPool(chunkSize: 256, maxKept: 8);
        var first = new SipTraceBuffer(pool);
        Add(first, Start, Invite());
        Add(first, Start, Message("SIP/2.0 180 Ringing\r\nCall-ID: a\r\n\r\n"));
        var drained = first.Drain()!;
        Assert.Equal(0, pool.Kept);
        Read(drained);
        var kept = pool.Kept;

        var second = new SipTraceBuffer(pool);
        var bye = Message("BYE sip:other@b SIP/2.0\r\nCall-ID: other\r\n\r\n");
        Add(second, Start, bye);

        Assert.True(kept >= 1, "the first call's chunks were not given back");
        Assert.Equal(kept - 1, pool.Kept);
        Assert.Equal([bye.ToString()], Read(second.Drain()).Select(m => m.Raw));
        Assert.Throws<InvalidOperationException>(() => Read(drained));
    }

    [Fact]
    public void When_written_Should_be_the_JSON_MassTransit_writes_for_the_same_messages()
    {
        var buffer = NewBuffer();
        var invite = Message("INVITE sip:+4930123@trunk.example SIP/2.0\r\nFrom: \"Jürgen \\\"J\\\" <Müller>\" <sip:+4930123@carrier>;tag=1\r\n"
            + "Subject: ümlaut & <angle> \u2603\r\nCall-ID: a\r\n\r\n");
        var bye = Message("BYE sip:a@b SIP/2.0\r\nCall-ID: a\r\n\r\n");
        Add(buffer, Start, invite);
        buffer.Add(Start + TimeSpan.FromMilliseconds(1.5), LegSide.Endpoint, SipDirection.Sent, SipTransportProtocol.Tcp, RemoteV6, Local, bye);
        var mapped = new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.10"), 65535);
        var privateV4 = new IPEndPoint(IPAddress.Parse("10.200.0.7"), 5);
        buffer.Add(Start.ToOffset(TimeSpan.FromHours(2)), LegSide.Target, SipDirection.Received, SipTransportProtocol.Udp, privateV4, mapped, bye);

        TracedSipMessage[] expected =
        [
            new(Start, LegSide.Caller, SipDirection.Received, "UDP", "127.0.0.1:5060", "127.0.0.1:5080", invite.ToString()),
            new(Start + TimeSpan.FromMilliseconds(1.5), LegSide.Endpoint, SipDirection.Sent, "TCP", "[fe80::1%3]:5080", "127.0.0.1:5060", bye.ToString()),
            new(Start.ToOffset(TimeSpan.FromHours(2)), LegSide.Target, SipDirection.Received, "UDP", privateV4.ToString(), mapped.ToString(), bye.ToString()),
        ];
        Assert.Equal(Written(json => JsonSerializer.Serialize(json, expected, SystemTextJsonMessageSerializer.Options)), Written(buffer.Drain()));
    }

    [Fact]
    public void When_a_message_carries_bytes_that_are_not_UTF8_Should_hand_it_over_with_each_as_the_replacement_character()
    {
        var buffer = NewBuffer();
        var head = "MESSAGE sip:a@b SIP/2.0\r\nContent-Type: application/octet-stream\r\nContent-Length: 3\r\n\r\n"u8.ToArray();
        Add(buffer, Start, SipMessageParser.Parse([.. head, 0x61, 0xFF, 0x62]));

        var raw = Assert.Single(Read(buffer.Drain())).Raw;

        Assert.EndsWith("a\uFFFDb", raw, StringComparison.Ordinal);
    }

    /// <summary>The drained messages' JSON, written as the publisher writes them into an envelope.</summary>
    private static string Written(TracedMessages? drained)
    {
        Assert.NotNull(drained);
        return Written(drained.WriteTo);
    }

    /// <summary>What <paramref name="write"/> writes with the envelope's JSON writer settings.</summary>
    private static string Written(Action<Utf8JsonWriter> write)
    {
        var bytes = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(bytes, new JsonWriterOptions { Encoder = SystemTextJsonMessageSerializer.Options.Encoder }))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(bytes.WrittenSpan);
    }

    /// <summary>The drained messages as a consumer reads them.</summary>
    private static List<TracedSipMessage> Read(TracedMessages? drained) =>
        JsonSerializer.Deserialize<List<TracedSipMessage>>(Written(drained), SystemTextJsonMessageSerializer.Options)!;

    private static SipTraceBuffer NewBuffer() => new(new TraceChunkPool(TraceChunkPool.DefaultChunkSize, TraceChunkPool.DefaultMaxKept));

    private static SipMessage Invite() =>
        Message("INVITE sip:+4930123@trunk.example SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bK1\r\nCall-ID: a\r\nCSeq: 1 INVITE\r\n\r\n");

    private static SipMessage Message(string text) => SipMessageParser.Parse(Encoding.UTF8.GetBytes(text));

    private static void Add(SipTraceBuffer buffer, DateTimeOffset at, SipMessage message) =>
        buffer.Add(at, LegSide.Caller, SipDirection.Received, SipTransportProtocol.Udp, Local, Remote, message);
}
