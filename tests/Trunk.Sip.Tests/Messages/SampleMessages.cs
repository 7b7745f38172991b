using System.Text;
using Trunk.Sip.Messages;

namespace Trunk.Sip.Tests.Messages;

/// <summary>Messages shared by the tests: the REFER of issue 3 and an INVITE with SDP.</summary>
internal static class SampleMessages
{
    public const string Refer =
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
        "\r\n";

    public const string InviteSdp =
        "v=0\r\n" +
        "o=pbx 2890844526 2890844526 IN IP4 192.168.1.100\r\n" +
        "s=-\r\n" +
        "c=IN IP4 192.168.1.100\r\n" +
        "t=0 0\r\n" +
        "m=audio 49170 RTP/AVP 0 8 101\r\n" +
        "a=rtpmap:0 PCMU/8000\r\n" +
        "a=rtpmap:8 PCMA/8000\r\n" +
        "a=rtpmap:101 telephone-event/8000\r\n" +
        "a=fmtp:101 0-16\r\n" +
        "a=ptime:20\r\n" +
        "a=sendrecv\r\n";

    public static readonly string Invite =
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
        $"Content-Length: {InviteSdp.Length}\r\n" +
        "\r\n" +
        InviteSdp;

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static SipMessage Parse(string text) => SipMessageParser.Parse(Bytes(text));

    public static SipRequest ParseRequest(string text) => Assert.IsType<SipRequest>(Parse(text));
}
