using System.Net;

namespace Trunk.Sip.Sdp;

/// <summary>What to offer: where we receive audio and the codecs in order of preference.</summary>
public sealed record SdpOfferOptions(SdpOrigin Origin, IPAddress Address, int AudioPort, IReadOnlyList<SdpCodec> Codecs)
{
    /// <summary>Offer RFC 4733 telephone-event at 8000 Hz with this payload type; null to leave it out.</summary>
    public int? TelephoneEventPayloadType { get; init; } = 101;

    /// <summary>Events 0-15 are the DTMF digits, 16 is flash (RFC 4733 §3.2).</summary>
    public string TelephoneEvents { get; init; } = "0-16";

    public int? Ptime { get; init; } = 20;

    public SdpDirection Direction { get; init; } = SdpDirection.SendRecv;

    public string SessionName { get; init; } = "-";
}
