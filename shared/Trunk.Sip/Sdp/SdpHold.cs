namespace Trunk.Sip.Sdp;

/// <summary>Hold and resume (RFC 3264 §8.4).</summary>
public static class SdpHold
{
    /// <summary>
    /// A stream is held when it does not want to receive: sendonly or inactive, or the RFC 2543
    /// address 0.0.0.0 (RFC 3264 §8.4). Refused streams are not held, they are off.
    /// </summary>
    public static bool IsHeld(SdpSessionDescription sdp, SdpMediaDescription media)
    {
        ArgumentNullException.ThrowIfNull(sdp);
        ArgumentNullException.ThrowIfNull(media);
        return !media.IsRejected
            && (!sdp.GetDirection(media).CanReceive() || sdp.GetConnection(media)?.IsNullAddress == true);
    }

    /// <summary>"Held SDP" (RFC 3264 §8.4): at least one active stream, and every active stream held.</summary>
    public static bool IsOnHold(SdpSessionDescription sdp)
    {
        ArgumentNullException.ThrowIfNull(sdp);
        var active = sdp.Media.Where(m => !m.IsRejected).ToList();
        return active.Count > 0 && active.All(m => IsHeld(sdp, m));
    }

    /// <summary>
    /// The re-offer that puts every active stream of our last description on hold: sendrecv becomes
    /// sendonly and recvonly becomes inactive (RFC 3264 §8.4); the version follows §8.
    /// </summary>
    public static SdpSessionDescription CreateHoldOffer(SdpSessionDescription current)
    {
        ArgumentNullException.ThrowIfNull(current);
        return WithDirections(current, direction => direction & SdpDirection.SendOnly);
    }

    /// <summary>The re-offer that takes every active stream off hold, to <paramref name="direction"/> (sendrecv by default).</summary>
    public static SdpSessionDescription CreateResumeOffer(SdpSessionDescription current, SdpDirection direction = SdpDirection.SendRecv)
    {
        ArgumentNullException.ThrowIfNull(current);
        return WithDirections(current, _ => direction);
    }

    private static SdpSessionDescription WithDirections(SdpSessionDescription current, Func<SdpDirection, SdpDirection> change)
    {
        var media = current.Media
            .Select(m => m.IsRejected ? m : m.WithDirection(change(current.GetDirection(m))))
            .ToList();
        // The direction is now on every stream, so a session-level one would only contradict it.
        var candidate = current with
        {
            Attributes = [.. current.Attributes.Where(a => SdpDirectionExtensions.FromAttributeName(a.Name) is null)],
            Media = media,
        };
        return SdpVersioning.Follow(current, candidate);
    }
}
