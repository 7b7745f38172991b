using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Trunk.Sip.Messages;

/// <summary>Parses one element of a header value.</summary>
internal delegate bool SpanParser<T>(ReadOnlySpan<char> value, [NotNullWhen(true)] out T? result)
    where T : class;

/// <summary>Character classes and small lexical helpers of the RFC 3261 §25.1 grammar.</summary>
internal static class SipSyntax
{
    // token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~");

    private static readonly SearchValues<byte> TokenBytes =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~"u8);

    public static bool IsTokenChar(char c) => TokenChars.Contains(c);

    public static bool IsToken(ReadOnlySpan<char> s) => s.Length > 0 && !s.ContainsAnyExcept(TokenChars);

    public static bool IsToken(ReadOnlySpan<byte> s) => s.Length > 0 && !s.ContainsAnyExcept(TokenBytes);

    public static bool IsWhitespace(char c) => c is ' ' or '\t';

    public static int SkipWhitespace(ReadOnlySpan<char> s, int pos)
    {
        while (pos < s.Length && IsWhitespace(s[pos]))
        {
            pos++;
        }

        return pos;
    }

    public static int ReadToken(ReadOnlySpan<char> s, int pos)
    {
        while (pos < s.Length && IsTokenChar(s[pos]))
        {
            pos++;
        }

        return pos;
    }

    /// <summary>Finds the end (index after the closing quote) of a quoted-string starting at <paramref name="pos"/>; -1 if unterminated.</summary>
    public static int ReadQuoted(ReadOnlySpan<char> s, int pos)
    {
        for (var i = pos + 1; i < s.Length; i++)
        {
            if (s[i] == '\\')
            {
                i++;
            }
            else if (s[i] == '"')
            {
                return i + 1;
            }
        }

        return -1;
    }

    /// <summary>Removes surrounding quotes and quoted-pair escapes; unquoted input is returned as is.</summary>
    public static string Unquote(string value)
    {
        if (value.Length < 2 || value[0] != '"' || value[^1] != '"')
        {
            return value;
        }

        var inner = value.AsSpan(1, value.Length - 2);
        if (!inner.Contains('\\'))
        {
            return inner.ToString();
        }

        var builder = new StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '\\' && i + 1 < inner.Length)
            {
                i++;
            }

            builder.Append(inner[i]);
        }

        return builder.ToString();
    }

    /// <summary>Quotes a value, escaping <c>"</c> and <c>\</c> (RFC 3261 §25.1 quoted-pair).</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append('"').ToString();
    }

    /// <summary>Decodes %HH escapes (RFC 3261 §19.1.2) as UTF-8; a '%' not followed by two hex digits stays literal.</summary>
    public static string Unescape(ReadOnlySpan<char> s)
    {
        if (!s.Contains('%'))
        {
            return s.ToString();
        }

        var bytes = s.Length <= 256 ? stackalloc byte[s.Length * 3] : new byte[s.Length * 3];
        var length = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '%' && i + 2 < s.Length && IsHex(s[i + 1]) && IsHex(s[i + 2]))
            {
                bytes[length++] = (byte)((HexValue(s[i + 1]) << 4) | HexValue(s[i + 2]));
                i += 2;
            }
            else
            {
                length += Encoding.UTF8.GetBytes(s.Slice(i, 1), bytes[length..]);
            }
        }

        return Encoding.UTF8.GetString(bytes[..length]);
    }

    /// <summary>Escapes every character outside <paramref name="allowed"/> as %HH of its UTF-8 bytes.</summary>
    public static string Escape(string value, SearchValues<char> allowed)
    {
        if (!value.AsSpan().ContainsAnyExcept(allowed))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            if (allowed.Contains(value[i]))
            {
                builder.Append(value[i]);
                continue;
            }

            var width = char.IsHighSurrogate(value[i]) && i + 1 < value.Length ? 2 : 1;
            var count = Encoding.UTF8.GetBytes(value.AsSpan(i, width), utf8);
            i += width - 1;
            foreach (var b in utf8[..count])
            {
                builder.Append('%').Append(HexDigits[b >> 4]).Append(HexDigits[b & 0xF]);
            }
        }

        return builder.ToString();
    }

    private const string HexDigits = "0123456789ABCDEF";

    public static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>
    /// Splits a header value on top-level commas (outside quoted strings and angle brackets,
    /// RFC 3261 §7.3.1). Fails on an empty element, an unterminated quote or too many values.
    /// </summary>
    public static bool TrySplitList(string value, List<Range> parts)
    {
        var start = 0;
        var angle = false;
        for (var i = 0; i <= value.Length; i++)
        {
            if (i == value.Length || (value[i] == ',' && !angle))
            {
                var range = Trim(value, start, i);
                if (range.Start.Value == range.End.Value || parts.Count == SipLimits.MaxListValues)
                {
                    return false;
                }

                parts.Add(range);
                start = i + 1;
            }
            else if (value[i] == '"')
            {
                var end = ReadQuoted(value, i);
                if (end < 0)
                {
                    return false;
                }

                i = end - 1;
            }
            else if (value[i] == '<')
            {
                angle = true;
            }
            else if (value[i] == '>')
            {
                angle = false;
            }
        }

        return true;
    }

    private static Range Trim(string value, int start, int end)
    {
        while (start < end && IsWhitespace(value[start]))
        {
            start++;
        }

        while (end > start && IsWhitespace(value[end - 1]))
        {
            end--;
        }

        return start..end;
    }

    /// <summary>
    /// Reads <c>*( SEMI name [ EQUAL value ] )</c> from <paramref name="pos"/> to the end of
    /// <paramref name="s"/>; a value is a token, a host (IPv6 references included) or a quoted string.
    /// </summary>
    public static bool TryParseParameters(ReadOnlySpan<char> s, int pos, out SipParameters parameters)
    {
        parameters = SipParameters.Empty;
        SipParameter[]? items = null;
        var count = 0;
        while (true)
        {
            pos = SkipWhitespace(s, pos);
            if (pos == s.Length)
            {
                break;
            }

            if (s[pos] != ';' || count == SipLimits.MaxListValues)
            {
                return false;
            }

            pos = SkipWhitespace(s, pos + 1);
            var nameEnd = ReadToken(s, pos);
            if (nameEnd == pos)
            {
                return false;
            }

            var name = ParameterName(s[pos..nameEnd]);
            pos = SkipWhitespace(s, nameEnd);
            string? value = null;
            if (pos < s.Length && s[pos] == '=')
            {
                pos = SkipWhitespace(s, pos + 1);
                var valueEnd = pos < s.Length && s[pos] == '"' ? ReadQuoted(s, pos) : ReadGenericValue(s, pos);
                if (valueEnd <= pos)
                {
                    return false;
                }

                value = s[pos..valueEnd].ToString();
                pos = valueEnd;
            }

            items ??= new SipParameter[1];
            if (count == items.Length)
            {
                Array.Resize(ref items, count * 2);
            }

            items[count++] = new SipParameter(name, value);
        }

        if (items is not null)
        {
            if (count != items.Length)
            {
                Array.Resize(ref items, count);
            }

            parameters = new SipParameters(items);
        }

        return true;
    }

    /// <summary>
    /// Parses every element of a comma-separated header value with <paramref name="parse"/>;
    /// a value without a comma outside quotes is parsed whole, without splitting.
    /// </summary>
    public static bool TryParseEach<T>(string value, List<T> into, SpanParser<T> parse)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(into);
        if (!value.Contains(','))
        {
            if (!parse(value, out var single))
            {
                return false;
            }

            into.Add(single);
            return true;
        }

        var parts = new List<Range>();
        if (!TrySplitList(value, parts))
        {
            return false;
        }

        foreach (var range in parts)
        {
            if (!parse(value.AsSpan()[range], out var item))
            {
                return false;
            }

            into.Add(item);
        }

        return true;
    }

    private static readonly string[] CommonParameterNames =
        ["tag", "branch", "rport", "received", "lr", "transport", "expires", "q", "user", "maddr", "ttl", "method", "id", "reason", "cause", "text"];

    /// <summary>The shared string for a frequent parameter name (saves an allocation per parameter).</summary>
    public static string ParameterName(ReadOnlySpan<char> name)
    {
        foreach (var common in CommonParameterNames)
        {
            if (name.SequenceEqual(common))
            {
                return common;
            }
        }

        return name.ToString();
    }

    private static int ReadGenericValue(ReadOnlySpan<char> s, int pos)
    {
        while (pos < s.Length && (IsTokenChar(s[pos]) || s[pos] is ':' or '[' or ']' or '/' or '@' or '?'))
        {
            pos++;
        }

        return pos;
    }
}
