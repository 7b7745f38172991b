using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Trunk.Sip.Messages;

/// <summary>
/// <c>[display-name] &lt;uri&gt; *(;param)</c> or <c>addr-spec *(;param)</c> (RFC 3261 §20.10, §25.1):
/// From, To, Contact, Route, Record-Route, Refer-To, Referred-By, P-Asserted-Identity, Diversion.
/// </summary>
public sealed record NameAddress(string? DisplayName, SipUri Uri, SipParameters Parameters)
{
    public NameAddress(SipUri uri)
        : this(null, uri, SipParameters.Empty)
    {
    }

    public string? Tag => Parameters.Get("tag");

    public NameAddress WithTag(string tag) => this with { Parameters = Parameters.With("tag", tag) };

    public NameAddress WithParameter(string name, string? value) => this with { Parameters = Parameters.With(name, value) };

    public static NameAddress Parse(string value) =>
        TryParse(value, out var address) ? address : throw new FormatException($"Malformed name-addr: {value}");

    public static bool TryParse(string? value, [NotNullWhen(true)] out NameAddress? address) =>
        TryParse(value.AsSpan(), out address);

    public static bool TryParse(ReadOnlySpan<char> s, [NotNullWhen(true)] out NameAddress? address)
    {
        address = null;
        var pos = SipSyntax.SkipWhitespace(s, 0);
        if (pos == s.Length)
        {
            return false;
        }

        string? displayName = null;
        string uriText;
        if (s[pos] == '"')
        {
            var end = SipSyntax.ReadQuoted(s, pos);
            if (end < 0)
            {
                return false;
            }

            displayName = SipSyntax.Unquote(s[pos..end].ToString());
            pos = SipSyntax.SkipWhitespace(s, end);
            if (pos == s.Length || s[pos] != '<')
            {
                return false;
            }
        }
        else
        {
            var scan = pos;
            while (scan < s.Length && (SipSyntax.IsTokenChar(s[scan]) || SipSyntax.IsWhitespace(s[scan])))
            {
                scan++;
            }

            if (scan < s.Length && s[scan] == '<')
            {
                var name = s[pos..scan].TrimEnd(" \t");
                displayName = name.IsEmpty ? null : name.ToString();
                pos = scan;
            }
            else
            {
                // addr-spec form: a URI with ';', ',' or '?' must be in angle brackets (§20.10),
                // so everything after the first ';' belongs to the header parameters.
                var semicolon = s[pos..].IndexOf(';');
                var uriEnd = semicolon < 0 ? s.Length : pos + semicolon;
                uriText = s[pos..uriEnd].TrimEnd(" \t").ToString();
                if (uriText.AsSpan().ContainsAny(" \t?,") || !SipUri.TryParse(uriText, out var bare))
                {
                    return false;
                }

                return Finish(displayName, bare, s, uriEnd, out address);
            }
        }

        var close = s[pos..].IndexOf('>');
        if (close < 0)
        {
            return false;
        }

        uriText = s.Slice(pos + 1, close - 1).ToString();
        if (!SipUri.TryParse(uriText, out var uri))
        {
            return false;
        }

        return Finish(displayName, uri, s, pos + close + 1, out address);
    }

    /// <summary>Parses a comma-separated list of name-addr values (Route, Record-Route, P-Asserted-Identity, Diversion).</summary>
    public static bool TryParseList(string value, List<NameAddress> into) =>
        SipSyntax.TryParseEach(value, into, TryParse);

    /// <summary>Canonical form: quoted display name if any, the URI always in angle brackets.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder(64);
        if (DisplayName is not null)
        {
            builder.Append(SipSyntax.Quote(DisplayName)).Append(' ');
        }

        builder.Append('<').Append(Uri).Append('>');
        Parameters.AppendTo(builder);
        return builder.ToString();
    }

    private static bool Finish(string? displayName, SipUri uri, ReadOnlySpan<char> s, int pos, out NameAddress? address)
    {
        address = null;
        if (!SipSyntax.TryParseParameters(s, pos, out var parameters))
        {
            return false;
        }

        address = new NameAddress(displayName, uri, parameters);
        return true;
    }
}
