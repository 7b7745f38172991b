using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Trunk.Sip.Sdp;

/// <summary>
/// A session description (RFC 4566 §5): the session-level lines, then the media sections.
/// Immutable: change it with <c>with</c> expressions or the <c>With…</c> helpers.
/// </summary>
public sealed record SdpSessionDescription(SdpOrigin Origin, string SessionName)
{
    /// <summary><c>v=</c>, always 0 (RFC 4566 §5.1).</summary>
    public int Version { get; init; }

    public string? Information { get; init; }

    public string? Uri { get; init; }

    public IReadOnlyList<string> Emails { get; init; } = [];

    public IReadOnlyList<string> Phones { get; init; } = [];

    /// <summary>The session-level <c>c=</c>, used by every stream that has none of its own.</summary>
    public SdpConnection? Connection { get; init; }

    public IReadOnlyList<SdpBandwidth> Bandwidths { get; init; } = [];

    public IReadOnlyList<SdpTiming> Timings { get; init; } = [SdpTiming.Permanent];

    /// <summary>The <c>z=</c> line as text (RFC 4566 §5.11).</summary>
    public string? TimeZones { get; init; }

    public string? EncryptionKey { get; init; }

    public IReadOnlyList<SdpAttribute> Attributes { get; init; } = [];

    public IReadOnlyList<SdpMediaDescription> Media { get; init; } = [];

    /// <summary>The session-level direction, null when none is written.</summary>
    public SdpDirection? Direction => SdpAttributes.DirectionOf(Attributes);

    /// <summary>A stream's direction: its own attribute, else the session's, else sendrecv (RFC 3264 §5.1).</summary>
    public SdpDirection GetDirection(SdpMediaDescription media)
    {
        ArgumentNullException.ThrowIfNull(media);
        return media.Direction ?? Direction ?? SdpDirection.SendRecv;
    }

    /// <summary>A stream's connection: its own <c>c=</c>, else the session's (RFC 4566 §5.7).</summary>
    public SdpConnection? GetConnection(SdpMediaDescription media)
    {
        ArgumentNullException.ThrowIfNull(media);
        return media.Connections.Count > 0 ? media.Connections[0] : Connection;
    }

    /// <summary>The first audio stream that is not disabled, if any.</summary>
    public SdpMediaDescription? FirstActiveAudio =>
        Media.FirstOrDefault(m => m.Media == SdpMediaDescription.Audio && !m.IsRejected);

    public SdpSessionDescription WithNextVersion() => this with { Origin = Origin.WithNextVersion() };

    public SdpSessionDescription WithMedia(int index, SdpMediaDescription media)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Media.Count);
        var list = Media.ToArray();
        list[index] = media;
        return this with { Media = list };
    }

    /// <summary>Parses without throwing; on failure <paramref name="error"/> names the line and the reason.</summary>
    public static bool TryParse(
        string text,
        [NotNullWhen(true)] out SdpSessionDescription? description,
        [NotNullWhen(false)] out SdpParseError? error) =>
        SdpParser.TryParse(text, out description, out error);

    /// <summary>Parses a UTF-8 body (RFC 4566 §5: the default character set is UTF-8).</summary>
    public static bool TryParse(
        ReadOnlySpan<byte> utf8,
        [NotNullWhen(true)] out SdpSessionDescription? description,
        [NotNullWhen(false)] out SdpParseError? error) =>
        SdpParser.TryParse(Encoding.UTF8.GetString(utf8), out description, out error);

    /// <exception cref="FormatException">The text is not a valid session description; the message names the line.</exception>
    public static SdpSessionDescription Parse(string text) =>
        TryParse(text, out var description, out var error) ? description : throw new FormatException(error.ToString());

    /// <summary>Equal when both write the same text, so every list compares by content.</summary>
    public bool Equals(SdpSessionDescription? other) => other is not null && ToString() == other.ToString();

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    /// <summary>The description in RFC 4566 §5 order with CRLF line ends.</summary>
    public override string ToString() => SdpSerializer.Serialize(this);

    public byte[] ToUtf8Bytes() => Encoding.UTF8.GetBytes(ToString());
}
