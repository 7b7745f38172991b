namespace Trunk.Sip.Sdp;

/// <summary>
/// RFC 4566 §5 reader. Accepts CRLF or bare LF line ends and blank lines; refuses unknown type
/// letters (§5: such a description must be ignored as a whole), session-only lines inside a media
/// section, repeated single lines and malformed values of the lines and attributes it types.
/// </summary>
internal static class SdpParser
{
    public static bool TryParse(string text, out SdpSessionDescription? description, out SdpParseError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        description = null;
        error = null;
        var builder = new SdpSessionBuilder();
        var lineNumber = 0;
        var sawFirstLine = false;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.EndsWith('\r') ? rawLine[..^1] : rawLine;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var reason = ReadLine(builder, line, sawFirstLine);
            sawFirstLine = true;
            if (reason is not null)
            {
                error = new SdpParseError(lineNumber, line, reason);
                return false;
            }
        }

        var missing = builder.Build(out description);
        if (missing is not null)
        {
            error = new SdpParseError(0, string.Empty, missing);
            return false;
        }

        return true;
    }

    private static string? ReadLine(SdpSessionBuilder builder, string line, bool sawFirstLine)
    {
        // RFC 4566 §5: "<type>=<value>", one letter, no whitespace either side of '='.
        if (line.Length < 2 || line[1] != '=' || !char.IsAsciiLetterLower(line[0]))
        {
            return "expected '<type>=<value>' with a lower-case type letter";
        }

        if (line.AsSpan().ContainsAny('\r', '\0'))
        {
            return "a CR or NUL inside a line is not allowed (RFC 4566 §9, byte-string)";
        }

        if (!sawFirstLine && line[0] != 'v')
        {
            return "a session description must start with v=";
        }

        var value = line[2..];
        if (line[0] == 'm')
        {
            return ReadMedia(builder, value);
        }

        return builder.CurrentMedia is { } media
            ? media.ReadLine(line[0], value)
            : builder.ReadSessionLine(line[0], value);
    }

    private static string? ReadMedia(SdpSessionBuilder builder, string value)
    {
        var fields = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 4)
        {
            return "expected 'm=<media> <port>[/<number of ports>] <proto> <fmt> ...'";
        }

        var portParts = fields[1].Split('/');
        if (portParts.Length > 2 || !SdpNumbers.TryParsePort(portParts[0], out var port))
        {
            return $"'{fields[1]}' is not a port (0-65535)";
        }

        int? portCount = null;
        if (portParts.Length == 2)
        {
            if (!SdpNumbers.TryParsePositive(portParts[1], out var count))
            {
                return $"'{portParts[1]}' is not a number of ports";
            }

            portCount = count;
        }

        var media = new SdpMediaDescription(fields[0], port, fields[2], fields[3..]) { PortCount = portCount };
        if (media.IsRtp && media.PayloadTypes.Count != media.Formats.Count)
        {
            return $"the formats of an {fields[2]} stream must be RTP payload types (0-127)";
        }

        builder.Media.Add(new SdpMediaBuilder(media));
        return null;
    }

    internal static string? SetOnce(ref string? field, string value, char type)
    {
        if (field is not null)
        {
            return $"'{type}=' may appear only once here (RFC 4566 §5)";
        }

        field = value;
        return null;
    }

    internal static string? ReadConnection(string value, Action<SdpConnection> add)
    {
        if (!SdpConnectionParser.TryParse(value, out var connection, out var reason))
        {
            return reason;
        }

        add(connection!);
        return null;
    }

    internal static string? ReadBandwidth(string value, Action<SdpBandwidth> add)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !SdpNumbers.TryParseDigits(value.AsSpan(colon + 1), out ulong bandwidth) || bandwidth > long.MaxValue)
        {
            return "expected 'b=<bwtype>:<bandwidth>'";
        }

        add(new SdpBandwidth(value[..colon], (long)bandwidth));
        return null;
    }

    internal static string? ReadAttribute(string value, Action<SdpAttribute> add)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? value : value[..colon];
        if (name.Length == 0 || name.Contains(' ', StringComparison.Ordinal))
        {
            return "expected 'a=<attribute>' or 'a=<attribute>:<value>'";
        }

        var attribute = new SdpAttribute(name, colon < 0 ? null : value[(colon + 1)..]);
        var reason = CheckTypedAttribute(attribute);
        if (reason is null)
        {
            add(attribute);
        }

        return reason;
    }

    private static string? CheckTypedAttribute(SdpAttribute attribute)
    {
        var value = attribute.Value ?? string.Empty;
        return attribute.Name switch
        {
            SdpRtpMap.AttributeName when !SdpRtpMap.TryParse(value, out _) =>
                "expected 'a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>]' (RFC 4566 §6)",
            SdpFmtp.AttributeName when !SdpFmtp.TryParse(value, out _) =>
                "expected 'a=fmtp:<format> <format specific parameters>' (RFC 4566 §6)",
            "ptime" or "maxptime" when !SdpNumbers.TryParsePositive(value, out _) =>
                $"'a={attribute.Name}' needs a whole number of milliseconds",
            SdpRtcp.AttributeName when !SdpRtcp.TryParse(value, out _) =>
                "expected 'a=rtcp:<port> [IN IP4|IP6 <address>]' (RFC 3605 §2.1)",
            _ => null,
        };
    }
}
