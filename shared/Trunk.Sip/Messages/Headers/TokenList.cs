namespace Trunk.Sip.Messages;

/// <summary>Comma-separated token lists: Supported, Require, Proxy-Require, Unsupported (option tags, RFC 3261 §19.2), Allow.</summary>
public static class TokenList
{
    public static bool TryParse(string value, List<string> into)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(into);

        // Supported and Allow may be empty (§20.37, §20.5).
        if (value.AsSpan().Trim(" \t").IsEmpty)
        {
            return true;
        }

        var parts = new List<Range>();
        if (!SipSyntax.TrySplitList(value, parts))
        {
            return false;
        }

        foreach (var range in parts)
        {
            var token = value.AsSpan()[range];
            if (!SipSyntax.IsToken(token))
            {
                return false;
            }

            into.Add(token.ToString());
        }

        return true;
    }

    /// <summary>All tokens of every field of the named header; null when any field is malformed.</summary>
    public static IReadOnlyList<string>? Collect(SipHeaders headers, string name)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var tokens = new List<string>();
        foreach (var value in headers.GetAll(name))
        {
            if (!TryParse(value, tokens))
            {
                return null;
            }
        }

        return tokens;
    }
}
