using System.Net;

namespace Trunk.Sip.Sdp;

/// <summary>Our side of an answer: where we receive audio and what we can do, in order of preference.</summary>
public sealed record SdpAnswerOptions(SdpOrigin Origin, IPAddress Address, int AudioPort, IReadOnlyList<SdpCodec> Codecs)
{
    /// <summary>Answer RFC 4733 telephone-event when the offer has it.</summary>
    public bool AcceptTelephoneEvent { get; init; } = true;

    /// <summary>What we are willing to do; the answer is this intersected with the reversed offer (RFC 3264 §6.1).</summary>
    public SdpDirection Direction { get; init; } = SdpDirection.SendRecv;

    /// <summary>The ptime to ask for when the offer gives none; an offered ptime is carried into the answer.</summary>
    public int? Ptime { get; init; }

    /// <summary>
    /// False (default): answer a single codec, our first preference, so the peer cannot switch
    /// codec mid-call. True: list every common codec in our order of preference.
    /// </summary>
    public bool AnswerAllCommonCodecs { get; init; }

    /// <summary>Transport protocols we accept on the audio stream; others are refused with port 0.</summary>
    public IReadOnlyList<string> Protocols { get; init; } = [SdpMediaDescription.RtpAvp];

    public string SessionName { get; init; } = "-";

    /// <summary>
    /// Our previous answer in this dialog, when answering a re-offer: its <c>o=</c> line is kept and the
    /// version increments only if the new answer differs (RFC 3264 §8).
    /// </summary>
    public SdpSessionDescription? PreviousAnswer { get; init; }
}
