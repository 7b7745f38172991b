using System.Buffers;

namespace Trunk.Sip.Messages;

/// <summary>Parses the URI forms of RFC 3261 §19.1.1/§25.1, RFC 3966 and RFC 5118 (IPv6 references).</summary>
internal static class SipUriParser
{
    // Every character a SIP URI may carry unescaped (user, password, host, params, headers).
    private static readonly SearchValues<char> SipUriChars = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!~*'()&=+$,;?/:@%[]");

    private static readonly SearchValues<char> HostChars = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._");

    // RFC 5118 §4.10: tolerate the three-colon form the RFC 3261 ABNF allowed, so no strict IPv6 check.
    private static readonly SearchValues<char> Ipv6Chars = SearchValues.Create("0123456789abcdefABCDEF:.");

    private static readonly SearchValues<char> SchemeChars = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");

    private static readonly SearchValues<char> OpaqueForbidden = SearchValues.Create(" \t\r\n<>\"");

    public static bool TryParse(string? text, out SipUri? uri)
    {
        uri = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var colon = text.IndexOf(':');
        if (colon <= 0 || !char.IsAsciiLetter(text[0]) || text.AsSpan(0, colon).ContainsAnyExcept(SchemeChars))
        {
            return false;
        }

        var scheme = SchemeName(text.AsSpan(0, colon));
        var rest = text.AsSpan(colon + 1);
        if (rest.IsEmpty)
        {
            return false;
        }

        return scheme switch
        {
            "sip" or "sips" => TryParseSip(scheme, text, rest, out uri),
            "tel" => TryParseTel(text, rest, out uri),
            _ => TryParseOpaque(scheme, text, rest, out uri),
        };
    }

    private static string SchemeName(ReadOnlySpan<char> scheme)
    {
        if (scheme.Equals("sip", StringComparison.OrdinalIgnoreCase))
        {
            return "sip";
        }

        if (scheme.Equals("sips", StringComparison.OrdinalIgnoreCase))
        {
            return "sips";
        }

        return scheme.Equals("tel", StringComparison.OrdinalIgnoreCase) ? "tel" : scheme.ToString().ToLowerInvariant();
    }

    private static bool TryParseSip(string scheme, string text, ReadOnlySpan<char> rest, out SipUri? uri)
    {
        uri = null;
        if (rest.ContainsAnyExcept(SipUriChars))
        {
            return false;
        }

        string? user = null;
        string? password = null;

        // '@' may appear nowhere but after the userinfo (§25.1: not in params, headers or host).
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            var userinfo = rest[..at];
            var passwordColon = userinfo.IndexOf(':');
            var userPart = passwordColon < 0 ? userinfo : userinfo[..passwordColon];
            if (userPart.IsEmpty)
            {
                return false;
            }

            user = SipSyntax.Unescape(userPart);
            password = passwordColon < 0 ? null : SipSyntax.Unescape(userinfo[(passwordColon + 1)..]);
            rest = rest[(at + 1)..];
        }

        if (!TryParseHostPort(rest, out var host, out var port, out var consumed))
        {
            return false;
        }

        rest = rest[consumed..];
        var question = rest.IndexOf('?');
        var paramText = question < 0 ? rest : rest[..question];
        if (!TryParsePairs(paramText, ';', requireValue: false, out var parameters))
        {
            return false;
        }

        var headers = SipParameters.Empty;
        if (question >= 0 && !TryParsePairs(rest[question..], '&', requireValue: true, out headers))
        {
            return false;
        }

        uri = new SipUri(scheme, user, password, host, port, parameters, headers, null, text);
        return true;
    }

    private static bool TryParseHostPort(ReadOnlySpan<char> s, out string host, out int? port, out int consumed)
    {
        host = string.Empty;
        port = null;
        int end;
        if (s.Length > 0 && s[0] == '[')
        {
            end = s.IndexOf(']') + 1;
            if (end < 3 || s[1..(end - 1)].ContainsAnyExcept(Ipv6Chars) || !s[1..(end - 1)].Contains(':'))
            {
                consumed = 0;
                return false;
            }
        }
        else
        {
            end = s.IndexOfAny(":;?");
            end = end < 0 ? s.Length : end;
            if (end == 0 || s[..end].ContainsAnyExcept(HostChars))
            {
                consumed = 0;
                return false;
            }
        }

        host = s[..end].ToString();
        consumed = end;
        if (end < s.Length && s[end] == ':')
        {
            var portEnd = s[(end + 1)..].IndexOfAny(";?");
            var digits = portEnd < 0 ? s[(end + 1)..] : s.Slice(end + 1, portEnd);
            if (!TryParsePort(digits, out var value))
            {
                return false;
            }

            port = value;
            consumed = end + 1 + digits.Length;
        }
        else if (end < s.Length && s[end] is not (';' or '?'))
        {
            return false;
        }

        return true;
    }

    internal static bool TryParsePort(ReadOnlySpan<char> digits, out int port)
    {
        port = 0;
        if (digits.IsEmpty || digits.Length > 5)
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            port = (port * 10) + (c - '0');
        }

        return port <= 65535;
    }

    // params: *( ";" name [ "=" value ] ); headers: "?" hname "=" hvalue *( "&" hname "=" hvalue ).
    private static bool TryParsePairs(ReadOnlySpan<char> s, char separator, bool requireValue, out SipParameters pairs)
    {
        pairs = SipParameters.Empty;
        if (s.IsEmpty)
        {
            return true;
        }

        s = s[1..];
        var items = new SipParameter[s.Count(separator) + 1];
        if (items.Length > SipLimits.MaxListValues)
        {
            return false;
        }

        var count = 0;
        foreach (var range in s.Split(separator))
        {
            var item = s[range];
            var equals = item.IndexOf('=');
            var name = equals < 0 ? item : item[..equals];
            if (name.IsEmpty || (requireValue && equals < 0))
            {
                return false;
            }

            var decodedName = name.Contains('%') ? SipSyntax.Unescape(name) : SipSyntax.ParameterName(name);
            items[count++] = new SipParameter(decodedName, equals < 0 ? null : SipSyntax.Unescape(item[(equals + 1)..]));
        }

        pairs = new SipParameters(items);
        return true;
    }

    private static bool TryParseTel(string text, ReadOnlySpan<char> rest, out SipUri? uri)
    {
        uri = null;
        if (rest.ContainsAnyExcept(SipUriChars))
        {
            return false;
        }

        var semicolon = rest.IndexOf(';');
        var number = semicolon < 0 ? rest : rest[..semicolon];
        if (number.IsEmpty || !TryParsePairs(semicolon < 0 ? [] : rest[semicolon..], ';', requireValue: false, out var parameters))
        {
            return false;
        }

        uri = new SipUri("tel", SipSyntax.Unescape(number), null, string.Empty, null, parameters, SipParameters.Empty, null, text);
        return true;
    }

    private static bool TryParseOpaque(string scheme, string text, ReadOnlySpan<char> rest, out SipUri? uri)
    {
        uri = null;
        if (rest.ContainsAny(OpaqueForbidden) || rest.ContainsAnyInRange((char)0, (char)0x1F))
        {
            return false;
        }

        uri = new SipUri(scheme, null, null, string.Empty, null, SipParameters.Empty, SipParameters.Empty, rest.ToString(), text);
        return true;
    }
}
