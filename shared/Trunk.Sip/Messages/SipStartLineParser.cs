using System.Text;

namespace Trunk.Sip.Messages;

/// <summary>Request-Line and Status-Line (RFC 3261 §7.1, §7.2), strict about single SP separators (RFC 4475 §3.1.2.9, §3.1.2.10).</summary>
internal static class SipStartLineParser
{
    public static void ParseRequestLine(ReadOnlySpan<byte> line, ref ParseState state, out string? method, out SipUri? requestUri)
    {
        method = null;
        requestUri = null;
        var firstSpace = line.IndexOf((byte)' ');
        var secondSpace = firstSpace < 0 ? -1 : line[(firstSpace + 1)..].IndexOf((byte)' ');
        if (secondSpace < 0)
        {
            state.Fail(400, "Malformed Request-Line");
            return;
        }

        secondSpace += firstSpace + 1;
        var methodBytes = line[..firstSpace];
        var uriBytes = line[(firstSpace + 1)..secondSpace];
        var version = line[(secondSpace + 1)..];
        if (!SipSyntax.IsToken(methodBytes) || uriBytes.IsEmpty || !IsVersion(version))
        {
            state.Fail(400, "Malformed Request-Line");
            return;
        }

        if (!IsVersion20(version))
        {
            state.Fail(505, "Version Not Supported");
            return;
        }

        method = SipMethod.Intern(methodBytes);
        if (!SipUri.TryParse(Encoding.UTF8.GetString(uriBytes), out requestUri))
        {
            state.Fail(400, "Malformed Request-URI");
            return;
        }

        // §19.1.1 table: the headers component is not allowed in a Request-URI.
        if (requestUri.IsSip && requestUri.Headers.Count > 0)
        {
            state.Fail(400, "Headers not allowed in Request-URI");
        }
    }

    public static void ParseStatusLine(ReadOnlySpan<byte> line, ref ParseState state, out int statusCode, out string? reasonPhrase)
    {
        statusCode = 0;
        reasonPhrase = null;
        var space = line.IndexOf((byte)' ');
        var version = space < 0 ? line : line[..space];
        if (!IsVersion(version) || !IsVersion20(version))
        {
            state.Fail(505, "Version Not Supported", fatal: true);
            return;
        }

        var rest = line[(space + 1)..];
        if (space < 0 || rest.Length < 3 || !char.IsAsciiDigit((char)rest[0]) || !char.IsAsciiDigit((char)rest[1])
            || !char.IsAsciiDigit((char)rest[2]) || (rest.Length > 3 && rest[3] != (byte)' '))
        {
            state.Fail(400, "Malformed Status-Line", fatal: true);
            return;
        }

        statusCode = ((rest[0] - '0') * 100) + ((rest[1] - '0') * 10) + (rest[2] - '0');
        if (statusCode < 100 || statusCode > 699)
        {
            state.Fail(400, "Status code out of range", fatal: true);
            return;
        }

        reasonPhrase = rest.Length > 4 ? ReasonPhrase(rest[4..]) : string.Empty;
    }

    private static string ReasonPhrase(ReadOnlySpan<byte> text) => text switch
    {
        _ when text.SequenceEqual("OK"u8) => "OK",
        _ when text.SequenceEqual("Trying"u8) => "Trying",
        _ when text.SequenceEqual("Ringing"u8) => "Ringing",
        _ when text.SequenceEqual("Session Progress"u8) => "Session Progress",
        _ when text.SequenceEqual("Accepted"u8) => "Accepted",
        _ => Encoding.UTF8.GetString(text),
    };

    // SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT, case-insensitive (§7.1).
    private static bool IsVersion(ReadOnlySpan<byte> version)
    {
        if (version.Length < 7 || !Ascii.EqualsIgnoreCase(version[..4], "SIP/"u8))
        {
            return false;
        }

        var digits = version[4..];
        var dot = digits.IndexOf((byte)'.');
        return dot > 0 && dot < digits.Length - 1 && AllDigits(digits[..dot]) && AllDigits(digits[(dot + 1)..]);
    }

    private static bool IsVersion20(ReadOnlySpan<byte> version) => version.Length == 7 && version[4..].SequenceEqual("2.0"u8);

    private static bool AllDigits(ReadOnlySpan<byte> s)
    {
        foreach (var b in s)
        {
            if (!char.IsAsciiDigit((char)b))
            {
                return false;
            }
        }

        return true;
    }
}
