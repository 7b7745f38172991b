namespace Trunk.Sip.Messages;

/// <summary>
/// Why a message could not be parsed. <see cref="Reason"/> is fit for a 400 reason phrase.
/// When <see cref="CanRespond"/> is false the message must be dropped (responses always, and
/// requests without Via, From, To, Call-ID and CSeq, or over the limits); otherwise answer with
/// <see cref="StatusCode"/> via <see cref="CreateResponse"/>.
/// </summary>
public sealed record SipParseError(int StatusCode, string Reason, bool CanRespond, bool IsRequest, SipHeaders Headers)
{
    /// <summary>True when the message must be discarded silently (and counted).</summary>
    public bool ShouldDrop => !CanRespond;

    /// <summary>The error response (RFC 3261 §8.2.6), or null when the message is to be dropped.</summary>
    public SipResponse? CreateResponse(string? toTag = null) =>
        CanRespond ? SipResponseFactory.Create(Headers, StatusCode, Reason, toTag) : null;
}
