namespace Trunk.Sip.Sdp;

/// <summary>
/// A codec we can use, named as in <c>a=rtpmap</c> (RFC 4566 §6). Matching against an offer is by
/// name (case-insensitive), clock rate and channels, never by payload type number: dynamic numbers
/// differ between peers (RFC 3264 §6.1).
/// </summary>
public sealed record SdpCodec(string EncodingName, int ClockRate, int Channels = 1)
{
    public static SdpCodec Pcmu { get; } = new("PCMU", 8000);
    public static SdpCodec Pcma { get; } = new("PCMA", 8000);
    public static SdpCodec G722 { get; } = new("G722", 8000);
    public static SdpCodec G729 { get; } = new("G729", 8000);

    /// <summary>Format parameters to offer with the codec (for example <c>annexb=no</c> for G.729).</summary>
    public string? FormatParameters { get; init; }

    public static SdpCodec From(SdpRtpMap rtpMap)
    {
        ArgumentNullException.ThrowIfNull(rtpMap);
        return new SdpCodec(rtpMap.EncodingName, rtpMap.ClockRate, rtpMap.EffectiveChannels);
    }

    public bool Matches(SdpRtpMap rtpMap)
    {
        ArgumentNullException.ThrowIfNull(rtpMap);
        return rtpMap.IsSameCodecAs(ToRtpMap(rtpMap.PayloadType));
    }

    public SdpRtpMap ToRtpMap(int payloadType) =>
        new(payloadType, EncodingName, ClockRate, Channels == 1 ? null : Channels);

    public override string ToString() => $"{EncodingName}/{ClockRate}";
}
