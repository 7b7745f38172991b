using System.Globalization;

namespace Trunk.Sip.Sdp;

/// <summary>
/// <c>a=rtpmap:&lt;payload type&gt; &lt;encoding name&gt;/&lt;clock rate&gt;[/&lt;channels&gt;]</c> (RFC 4566 §6).
/// <see cref="Channels"/> is null when the line leaves it out, which for audio means one channel.
/// </summary>
public sealed record SdpRtpMap(int PayloadType, string EncodingName, int ClockRate, int? Channels = null)
{
    public const string AttributeName = "rtpmap";

    /// <summary>RFC 4733 named telephone events (DTMF).</summary>
    public const string TelephoneEvent = "telephone-event";

    public int EffectiveChannels => Channels ?? 1;

    public bool IsTelephoneEvent => string.Equals(EncodingName, TelephoneEvent, StringComparison.OrdinalIgnoreCase);

    /// <summary>Same codec: encoding names compare case-insensitively (RFC 4855 §3), clock rate and channels must be equal.</summary>
    public bool IsSameCodecAs(SdpRtpMap other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return string.Equals(EncodingName, other.EncodingName, StringComparison.OrdinalIgnoreCase)
            && ClockRate == other.ClockRate
            && EffectiveChannels == other.EffectiveChannels;
    }

    public SdpAttribute ToAttribute() => new(AttributeName, ToString());

    public override string ToString()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{PayloadType} {EncodingName}/{ClockRate}");
        return Channels is { } channels ? string.Create(CultureInfo.InvariantCulture, $"{text}/{channels}") : text;
    }

    public static bool TryParse(string value, out SdpRtpMap? rtpMap)
    {
        rtpMap = null;
        ArgumentNullException.ThrowIfNull(value);
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || !SdpNumbers.TryParsePayloadType(value.AsSpan(0, space), out var payloadType))
        {
            return false;
        }

        var parts = value[(space + 1)..].Trim().Split('/');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0
            || !SdpNumbers.TryParsePositive(parts[1], out var clockRate))
        {
            return false;
        }

        int? channels = null;
        if (parts.Length == 3)
        {
            if (!SdpNumbers.TryParsePositive(parts[2], out var count))
            {
                return false;
            }

            channels = count;
        }

        rtpMap = new SdpRtpMap(payloadType, parts[0], clockRate, channels);
        return true;
    }
}
