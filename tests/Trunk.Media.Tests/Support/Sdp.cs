using System.Net;
using Trunk.Sip.Sdp;

namespace Trunk.Media.Tests.Support;

/// <summary>SDP as a phone or gateway would write it, and what the tests read back from Media's SDP.</summary>
public static class Sdp
{
    /// <summary>An audio offer or answer from 127.0.0.1:<paramref name="port"/> with the given rtpmap lines ("0 PCMU/8000", "101 telephone-event/8000").</summary>
    public static string Audio(int port, params string[] rtpMaps)
    {
        var formats = string.Join(' ', rtpMaps.Select(m => m.Split(' ')[0]));
        var lines = rtpMaps.Select(m => $"a=rtpmap:{m}\r\n");
        return $"v=0\r\no=- 42 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {port} RTP/AVP {formats}\r\n{string.Concat(lines)}a=ptime:20\r\na=sendrecv\r\n";
    }

    public static string Pcmu(int port) => Audio(port, "0 PCMU/8000", "101 telephone-event/8000");

    public static string Pcma(int port) => Audio(port, "8 PCMA/8000", "101 telephone-event/8000");

    /// <summary>Where Media asks the leg to send RTP.</summary>
    public static IPEndPoint MediaAddress(string localSdp)
    {
        var sdp = SdpSessionDescription.Parse(localSdp);
        var audio = sdp.FirstActiveAudio!;
        return new IPEndPoint(IPAddress.Parse(sdp.GetConnection(audio)!.Address), audio.Port);
    }

    /// <summary>The payload types of Media's SDP in its order.</summary>
    public static IReadOnlyList<SdpRtpMap> Codecs(string localSdp) => SdpSessionDescription.Parse(localSdp).FirstActiveAudio!.RtpMaps;
}
