using System.Text;

namespace Trunk.Sip.Sdp;

/// <summary>Writes the lines in the order RFC 4566 §5 fixes, each ended by CRLF.</summary>
internal static class SdpSerializer
{
    public static string Serialize(SdpSessionDescription sdp)
    {
        var text = new StringBuilder(512);
        Line(text, 'v', SdpNumbers.Format(sdp.Version));
        Line(text, 'o', sdp.Origin.ToString());
        // RFC 4566 §5.3: a session without a name uses a single dash or space, never an empty s=.
        Line(text, 's', sdp.SessionName.Length == 0 ? "-" : sdp.SessionName);
        OptionalLine(text, 'i', sdp.Information);
        OptionalLine(text, 'u', sdp.Uri);
        Lines(text, 'e', sdp.Emails);
        Lines(text, 'p', sdp.Phones);
        OptionalLine(text, 'c', sdp.Connection?.ToString());
        Lines(text, 'b', sdp.Bandwidths);
        // RFC 4566 §5: t= is mandatory; SIP sessions are permanent (RFC 3264 §5).
        var timings = sdp.Timings.Count > 0 ? sdp.Timings : [SdpTiming.Permanent];
        foreach (var timing in timings)
        {
            Line(text, 't', $"{timing.Start} {timing.Stop}");
            Lines(text, 'r', timing.Repeats);
        }

        OptionalLine(text, 'z', sdp.TimeZones);
        OptionalLine(text, 'k', sdp.EncryptionKey);
        Lines(text, 'a', sdp.Attributes);
        foreach (var media in sdp.Media)
        {
            WriteMedia(text, media);
        }

        return text.ToString();
    }

    public static string Serialize(SdpMediaDescription media)
    {
        var text = new StringBuilder(256);
        WriteMedia(text, media);
        return text.ToString();
    }

    private static void WriteMedia(StringBuilder text, SdpMediaDescription media)
    {
        var port = media.PortCount is { } count
            ? $"{SdpNumbers.Format(media.Port)}/{SdpNumbers.Format(count)}"
            : SdpNumbers.Format(media.Port);
        Line(text, 'm', $"{media.Media} {port} {media.Protocol} {string.Join(' ', media.Formats)}");
        OptionalLine(text, 'i', media.Information);
        Lines(text, 'c', media.Connections);
        Lines(text, 'b', media.Bandwidths);
        OptionalLine(text, 'k', media.EncryptionKey);
        Lines(text, 'a', media.Attributes);
    }

    private static void Lines<T>(StringBuilder text, char type, IEnumerable<T> values)
    {
        foreach (var value in values)
        {
            Line(text, type, value?.ToString() ?? string.Empty);
        }
    }

    private static void OptionalLine(StringBuilder text, char type, string? value)
    {
        if (value is not null)
        {
            Line(text, type, value);
        }
    }

    private static void Line(StringBuilder text, char type, string value) =>
        text.Append(type).Append('=').Append(value).Append("\r\n");
}
