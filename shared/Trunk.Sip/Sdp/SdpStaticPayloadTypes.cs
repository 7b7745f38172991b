using System.Collections.Frozen;

namespace Trunk.Sip.Sdp;

/// <summary>
/// The static RTP payload types of RFC 3551 §6 (Tables 4 and 5). They need no <c>a=rtpmap</c>:
/// an offer of <c>m=audio 4000 RTP/AVP 0 8</c> means PCMU/8000 and PCMA/8000.
/// </summary>
public static class SdpStaticPayloadTypes
{
    public const int Pcmu = 0;
    public const int Gsm = 3;
    public const int G723 = 4;
    public const int Pcma = 8;
    public const int G722 = 9;
    public const int ComfortNoise = 13;
    public const int G729 = 18;

    /// <summary>
    /// Highest static number; 35–95 are unassigned and 96–127 dynamic (RFC 3551 §6).
    /// </summary>
    public const int LastStatic = 34;

    private static readonly FrozenDictionary<int, SdpRtpMap> Table = new[]
    {
        new SdpRtpMap(0, "PCMU", 8000),
        new SdpRtpMap(3, "GSM", 8000),
        new SdpRtpMap(4, "G723", 8000),
        new SdpRtpMap(5, "DVI4", 8000),
        new SdpRtpMap(6, "DVI4", 16000),
        new SdpRtpMap(7, "LPC", 8000),
        new SdpRtpMap(8, "PCMA", 8000),
        // G.722 samples at 16 kHz but its RTP clock is 8000 for historical reasons (RFC 3551 §4.5.2).
        new SdpRtpMap(9, "G722", 8000),
        new SdpRtpMap(10, "L16", 44100, 2),
        new SdpRtpMap(11, "L16", 44100),
        new SdpRtpMap(12, "QCELP", 8000),
        new SdpRtpMap(13, "CN", 8000),
        new SdpRtpMap(14, "MPA", 90000),
        new SdpRtpMap(15, "G728", 8000),
        new SdpRtpMap(16, "DVI4", 11025),
        new SdpRtpMap(17, "DVI4", 22050),
        new SdpRtpMap(18, "G729", 8000),
        new SdpRtpMap(25, "CelB", 90000),
        new SdpRtpMap(26, "JPEG", 90000),
        new SdpRtpMap(28, "nv", 90000),
        new SdpRtpMap(31, "H261", 90000),
        new SdpRtpMap(32, "MPV", 90000),
        new SdpRtpMap(33, "MP2T", 90000),
        new SdpRtpMap(34, "H263", 90000),
    }.ToFrozenDictionary(map => map.PayloadType);

    public static SdpRtpMap? Find(int payloadType) => Table.GetValueOrDefault(payloadType);

    /// <summary>The static payload type for a codec, if RFC 3551 assigns one.</summary>
    public static SdpRtpMap? FindFor(string encodingName, int clockRate, int channels = 1) =>
        Table.Values.FirstOrDefault(map => map.IsSameCodecAs(new SdpRtpMap(map.PayloadType, encodingName, clockRate, channels)));
}
