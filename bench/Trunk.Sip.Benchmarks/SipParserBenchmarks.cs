using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Trunk.Sip.Messages;

namespace Trunk.Sip.Benchmarks;

/// <summary>Parse and serialize the REFER of issue 3 and an INVITE with SDP (goal: ≥ 500,000 parses/s per core, ≤ 2 KB per parse).</summary>
[MemoryDiagnoser]
public class SipParserBenchmarks
{
    private const string Sdp =
        "v=0\r\no=pbx 2890844526 2890844526 IN IP4 192.168.1.100\r\ns=-\r\nc=IN IP4 192.168.1.100\r\nt=0 0\r\n" +
        "m=audio 49170 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n" +
        "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n";

    private static readonly byte[] ReferBytes = Encoding.ASCII.GetBytes(
        "REFER sip:trunk@a1b2c3.trunk.example SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 192.168.1.100:5060;branch=z9hG4bK-524287-1\r\n" +
        "From: <sip:endpoint@pbx.example.com>;tag=12345\r\n" +
        "To: <sip:trunk@a1b2c3.trunk.example>;tag=67890\r\n" +
        "Call-ID: 1-12345@192.168.1.100\r\n" +
        "CSeq: 1 REFER\r\n" +
        "Contact: <sip:endpoint@192.168.1.100:5060>\r\n" +
        "Refer-To: <sip:+14155551234@a1b2c3.trunk.example>\r\n" +
        "Max-Forwards: 70\r\n" +
        "Content-Length: 0\r\n" +
        "\r\n");

    private static readonly byte[] InviteBytes = Encoding.ASCII.GetBytes(
        "INVITE sip:+14155551234@a1b2c3.trunk.example SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 192.168.1.100:5060;branch=z9hG4bK-524287-2;rport\r\n" +
        "Max-Forwards: 70\r\n" +
        "From: \"Front Desk\" <sip:1000@pbx.example.com>;tag=a73kszlfl\r\n" +
        "To: <sip:+14155551234@a1b2c3.trunk.example>\r\n" +
        "Call-ID: 2-12345@192.168.1.100\r\n" +
        "CSeq: 1 INVITE\r\n" +
        "Contact: <sip:1000@192.168.1.100:5060;transport=udp>\r\n" +
        "Allow: INVITE, ACK, CANCEL, BYE, REFER, NOTIFY, OPTIONS\r\n" +
        "Supported: replaces, timer\r\n" +
        "Content-Type: application/sdp\r\n" +
        $"Content-Length: {Sdp.Length}\r\n" +
        "\r\n" + Sdp);

    private readonly ArrayBufferWriter<byte> _writer = new(4096);
    private SipMessage _refer = null!;
    private SipMessage _invite = null!;

    [GlobalSetup]
    public void Setup()
    {
        _refer = SipMessageParser.Parse(ReferBytes);
        _invite = SipMessageParser.Parse(InviteBytes);
    }

    [Benchmark]
    public SipMessage? ParseRefer() => SipMessageParser.TryParse(ReferBytes, out var message, out _) ? message : null;

    [Benchmark]
    public SipMessage? ParseInvite() => SipMessageParser.TryParse(InviteBytes, out var message, out _) ? message : null;

    /// <summary>Parse plus the typed headers a transaction layer reads (top Via, From/To tags, CSeq, Call-ID).</summary>
    [Benchmark]
    public string? ParseInviteAndReadTransactionHeaders()
    {
        SipMessageParser.TryParse(InviteBytes, out var message, out _);
        return message!.TopVia?.Branch + message.From?.Tag + message.To?.Tag + message.CSeq?.Method + message.CallId;
    }

    [Benchmark]
    public int SerializeRefer()
    {
        _writer.ResetWrittenCount();
        _refer.WriteTo(_writer);
        return _writer.WrittenCount;
    }

    [Benchmark]
    public int SerializeInvite()
    {
        _writer.ResetWrittenCount();
        _invite.WriteTo(_writer);
        return _writer.WrittenCount;
    }
}
