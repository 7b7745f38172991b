namespace Trunk.Sip.Sdp;

/// <summary>The <c>o=</c> version rules of RFC 3264 §8 for offers and answers within one session.</summary>
public static class SdpVersioning
{
    /// <summary>
    /// <paramref name="candidate"/> with the origin of <paramref name="previous"/>: the same version
    /// when nothing else changed, the next version otherwise (RFC 3264 §8: "the version number MUST
    /// be incremented by one" for a changed description, and left as is for an unchanged one).
    /// </summary>
    public static SdpSessionDescription Follow(SdpSessionDescription previous, SdpSessionDescription candidate)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(candidate);
        var unchanged = candidate with { Origin = previous.Origin };
        return unchanged == previous
            ? unchanged
            : candidate with { Origin = previous.Origin.WithNextVersion() };
    }

    /// <summary>
    /// True when a received re-offer carries the same session and version as the previous one, so it
    /// describes an unchanged session (a session refresh, RFC 3264 §8) and needs no renegotiation.
    /// </summary>
    public static bool IsUnchanged(SdpSessionDescription previous, SdpSessionDescription received)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(received);
        return previous.Origin == received.Origin;
    }
}
