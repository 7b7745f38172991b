namespace Trunk.Sip.Tests.Sdp;

/// <summary>Session descriptions as real devices send them, and the RFC 4566 §5 example.</summary>
internal static class SdpSamples
{
    public static string Lines(params string[] lines) => string.Concat(lines.Select(l => l + "\r\n"));

    public static readonly string SoftphoneOffer = Lines(
        "v=0",
        "o=Zoiper 1700000000 1 IN IP4 192.168.1.50",
        "s=Zoiper",
        "c=IN IP4 192.168.1.50",
        "t=0 0",
        "m=audio 8000 RTP/AVP 0 8 3 101",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:3 GSM/8000",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-16",
        "a=ptime:20",
        "a=sendrecv");

    public static readonly string LinphoneOffer = Lines(
        "v=0",
        "o=alice 3203 1230 IN IP4 10.1.2.3",
        "s=Talk",
        "c=IN IP4 10.1.2.3",
        "t=0 0",
        "a=rtcp-xr:rcvr-rtt=all:10000 stat-summary=loss,dup,jitt,TTL voip-metrics",
        "m=audio 7078 RTP/AVP 96 97 8 0 101 98",
        "a=rtpmap:96 opus/48000/2",
        "a=fmtp:96 useinbandfec=1",
        "a=rtpmap:97 telephone-event/48000",
        "a=rtpmap:101 telephone-event/8000",
        "a=rtpmap:98 speex/16000",
        "a=fmtp:98 vbr=on",
        "a=rtcp:7079",
        "a=rtcp-fb:* trr-int 1000",
        "a=rtcp-fb:* ccm tmmbr");

    public static readonly string IPv6Offer = Lines(
        "v=0",
        "o=- 2890844526 2890842807 IN IP6 2001:db8::10",
        "s=-",
        "c=IN IP6 2001:db8::10",
        "t=0 0",
        "m=audio 49170 RTP/AVP 8 0 101",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-15",
        "a=rtcp:49171 IN IP6 2001:db8::11",
        "a=maxptime:40");

    public static readonly string HoldReInvite = Lines(
        "v=0",
        "o=Polycom 1700000000 1700000002 IN IP4 10.0.0.20",
        "s=-",
        "c=IN IP4 10.0.0.20",
        "t=0 0",
        "m=audio 2222 RTP/AVP 0 101",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-15",
        "a=ptime:20",
        "a=sendonly");

    public static readonly string Rfc2543HoldReInvite = Lines(
        "v=0",
        "o=CiscoSystemsSIP-GW-UserAgent 4711 2 IN IP4 10.0.0.30",
        "s=SIP Call",
        "c=IN IP4 0.0.0.0",
        "t=0 0",
        "m=audio 17000 RTP/AVP 8 0",
        "c=IN IP4 0.0.0.0",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:0 PCMU/8000");

    public static readonly string AudioAndVideoOffer = Lines(
        "v=0",
        "o=bria 3 4 IN IP4 172.16.0.9",
        "s=CounterPath Bria",
        "c=IN IP4 172.16.0.9",
        "b=AS:2064",
        "t=0 0",
        "m=audio 59450 RTP/AVP 9 18 0 8 101",
        "a=rtpmap:18 G729/8000",
        "a=fmtp:18 annexb=no",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-15",
        "a=sendrecv",
        "a=rtcp:59451",
        "m=video 59452 RTP/AVP 97 34",
        "b=TIAS:2000000",
        "a=rtpmap:97 H264/90000",
        "a=fmtp:97 profile-level-id=42e01f;packetization-mode=1",
        "a=rtpmap:34 H263/90000",
        "a=sendrecv");

    public static readonly string Rfc4566Example = Lines(
        "v=0",
        "o=jdoe 2890844526 2890842807 IN IP4 10.47.16.5",
        "s=SDP Seminar",
        "i=A Seminar on the session description protocol",
        "u=http://www.example.com/seminars/sdp.pdf",
        "e=j.doe@example.com (Jane Doe)",
        "p=+1 617 555-6011",
        "c=IN IP4 224.2.17.12/127",
        "b=CT:128",
        "t=2873397496 2873404696",
        "r=7d 1h 0 25h",
        "z=2882844526 -1h 2898848070 0",
        "k=prompt",
        "a=recvonly",
        "m=audio 49170 RTP/AVP 0",
        "i=Speaker",
        "m=video 51372/2 RTP/AVP 99",
        "c=IN IP4 224.2.17.14/127/2",
        "b=AS:512",
        "k=clear:secret",
        "a=rtpmap:99 h263-1998/90000");

    public static Trunk.Sip.Sdp.SdpSessionDescription Parse(string text) =>
        Trunk.Sip.Sdp.SdpSessionDescription.Parse(text);
}
