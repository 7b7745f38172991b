namespace Trunk.Sip.Sdp;

/// <summary>
/// An <c>m=</c> section (RFC 4566 §5.14) with its own <c>i=</c>, <c>c=</c>, <c>b=</c>, <c>k=</c> and
/// <c>a=</c> lines. Attributes stay in their original order; typed views read them on demand.
/// </summary>
public sealed record SdpMediaDescription(
    string Media,
    int Port,
    string Protocol,
    IReadOnlyList<string> Formats)
{
    public const string Audio = "audio";
    public const string RtpAvp = "RTP/AVP";

    /// <summary>The <c>/&lt;number of ports&gt;</c> suffix of the port, when given.</summary>
    public int? PortCount { get; init; }

    public string? Information { get; init; }

    public IReadOnlyList<SdpConnection> Connections { get; init; } = [];

    public IReadOnlyList<SdpBandwidth> Bandwidths { get; init; } = [];

    public string? EncryptionKey { get; init; }

    public IReadOnlyList<SdpAttribute> Attributes { get; init; } = [];

    /// <summary>Port 0 disables the stream (RFC 3264 §5.1 and §6).</summary>
    public bool IsRejected => Port == 0;

    public bool IsRtp => Protocol.StartsWith("RTP/", StringComparison.OrdinalIgnoreCase);

    /// <summary>The formats that are RTP payload type numbers, in offer order.</summary>
    public IReadOnlyList<int> PayloadTypes =>
        [.. Formats.Select(f => SdpNumbers.TryParsePayloadType(f, out var pt) ? pt : -1).Where(pt => pt >= 0)];

    /// <summary>Each payload type resolved through its <c>a=rtpmap</c> or, for static types, RFC 3551; unknown ones are left out.</summary>
    public IReadOnlyList<SdpRtpMap> RtpMaps =>
        [.. PayloadTypes.Select(GetRtpMap).OfType<SdpRtpMap>()];

    public int? Ptime => GetNumber("ptime");

    public int? MaxPtime => GetNumber("maxptime");

    /// <summary>The direction written on this stream; null when it inherits the session's (RFC 4566 §6).</summary>
    public SdpDirection? Direction =>
        SdpAttributes.DirectionOf(Attributes);

    public SdpRtcp? Rtcp =>
        GetAttribute(SdpRtcp.AttributeName) is { } value && SdpRtcp.TryParse(value, out var rtcp) ? rtcp : null;

    /// <summary>The mapping for a payload type: its own <c>a=rtpmap</c> first, then the static table (RFC 3551 §6).</summary>
    public SdpRtpMap? GetRtpMap(int payloadType)
    {
        foreach (var attribute in Attributes)
        {
            if (attribute.Name == SdpRtpMap.AttributeName && attribute.Value is { } value
                && SdpRtpMap.TryParse(value, out var map) && map!.PayloadType == payloadType)
            {
                return map;
            }
        }

        return SdpStaticPayloadTypes.Find(payloadType);
    }

    public SdpFmtp? GetFmtp(string format)
    {
        foreach (var attribute in Attributes)
        {
            if (attribute.Name == SdpFmtp.AttributeName && attribute.Value is { } value
                && SdpFmtp.TryParse(value, out var fmtp) && fmtp!.Format == format)
            {
                return fmtp;
            }
        }

        return null;
    }

    public SdpFmtp? GetFmtp(int payloadType) => GetFmtp(SdpNumbers.Format(payloadType));

    /// <summary>The value of the first attribute with this name (names compare exactly, RFC 4566 §5.13).</summary>
    public string? GetAttribute(string name) => Attributes.FirstOrDefault(a => a.Name == name)?.Value;

    public bool HasAttribute(string name) => Attributes.Any(a => a.Name == name);

    public SdpMediaDescription WithAttribute(SdpAttribute attribute) =>
        this with { Attributes = [.. Attributes, attribute] };

    public SdpMediaDescription WithoutAttribute(string name) =>
        this with { Attributes = [.. Attributes.Where(a => a.Name != name)] };

    /// <summary>Sets the direction, replacing an existing direction attribute where it stood or adding one at the end.</summary>
    public SdpMediaDescription WithDirection(SdpDirection direction) =>
        this with { Attributes = SdpAttributes.WithDirection(Attributes, direction) };

    /// <summary>Equal when both write the same lines, so lists of formats and attributes compare by content.</summary>
    public bool Equals(SdpMediaDescription? other) =>
        other is not null && SdpSerializer.Serialize(this) == SdpSerializer.Serialize(other);

    public override int GetHashCode() => SdpSerializer.Serialize(this).GetHashCode(StringComparison.Ordinal);

    private int? GetNumber(string name) =>
        GetAttribute(name) is { } value && SdpNumbers.TryParseDigits(value, out int number) ? number : null;
}
