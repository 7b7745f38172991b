namespace Trunk.Sip.Sdp;

/// <summary>
/// A <c>t=&lt;start&gt; &lt;stop&gt;</c> line (RFC 4566 §5.9) in NTP seconds, with the <c>r=</c> lines
/// that follow it (§5.10) kept as text. <c>t=0 0</c> is the permanent session SIP always uses.
/// </summary>
public sealed record SdpTiming(ulong Start, ulong Stop)
{
    public static SdpTiming Permanent { get; } = new(0, 0);

    public IReadOnlyList<string> Repeats { get; init; } = [];

    public bool Equals(SdpTiming? other) =>
        other is not null && Start == other.Start && Stop == other.Stop && Repeats.SequenceEqual(other.Repeats);

    public override int GetHashCode() => HashCode.Combine(Start, Stop, Repeats.Count);
}
