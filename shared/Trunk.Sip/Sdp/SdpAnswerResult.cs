namespace Trunk.Sip.Sdp;

/// <summary>
/// The outcome of answering an offer. No common codec is an expected negative, not an exception:
/// the caller answers the INVITE with 488 Not Acceptable Here (RFC 3261 §21.4.26).
/// </summary>
public abstract record SdpAnswerResult
{
    private SdpAnswerResult()
    {
    }

    public sealed record Accepted(SdpSessionDescription Answer, SdpNegotiatedAudio Audio) : SdpAnswerResult;

    /// <summary>Nothing acceptable in the offer; <see cref="Reason"/> suits a Warning header (RFC 3261 §20.43, code 305).</summary>
    public sealed record NoCommonCodec(string Reason) : SdpAnswerResult;
}
