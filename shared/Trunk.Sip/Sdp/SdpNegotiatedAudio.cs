namespace Trunk.Sip.Sdp;

/// <summary>
/// What an offer/answer exchange settled for the audio stream, from our side: the codecs in the
/// peer's payload type numbers (first one is the one to send), telephone-event if both have it,
/// our direction, and where the peer wants RTP and RTCP.
/// </summary>
public sealed record SdpNegotiatedAudio(
    int MediaIndex,
    IReadOnlyList<SdpRtpMap> Codecs,
    SdpRtpMap? TelephoneEvent,
    int? Ptime,
    SdpDirection Direction,
    SdpConnection? RemoteConnection,
    int RemotePort)
{
    public SdpRtpMap Codec => Codecs[0];

    /// <summary>The peer's RTCP port: <c>a=rtcp</c> if it gave one (RFC 3605), else RTP port + 1 (RFC 3550 §11).</summary>
    public int RemoteRtcpPort { get; init; }
}
