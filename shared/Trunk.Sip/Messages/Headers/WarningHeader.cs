using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Trunk.Sip.Messages;

/// <summary><c>Warning: 3DIGIT agent "text"</c>, comma-separated (RFC 3261 §20.43).</summary>
public sealed record WarningHeader(int Code, string Agent, string Text)
{
    public static bool TryParse(ReadOnlySpan<char> s, [NotNullWhen(true)] out WarningHeader? header)
    {
        header = null;
        var pos = SipSyntax.SkipWhitespace(s, 0);
        if (s.Length < pos + 3 || !int.TryParse(s.Slice(pos, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            || s.Length == pos + 3 || !SipSyntax.IsWhitespace(s[pos + 3]))
        {
            return false;
        }

        var agentStart = SipSyntax.SkipWhitespace(s, pos + 3);
        var agentEnd = agentStart;
        while (agentEnd < s.Length && !SipSyntax.IsWhitespace(s[agentEnd]))
        {
            agentEnd++;
        }

        var textStart = SipSyntax.SkipWhitespace(s, agentEnd);
        var textEnd = textStart < s.Length && s[textStart] == '"' ? SipSyntax.ReadQuoted(s, textStart) : -1;
        if (agentEnd == agentStart || textEnd < 0 || SipSyntax.SkipWhitespace(s, textEnd) != s.Length)
        {
            return false;
        }

        header = new WarningHeader(code, s[agentStart..agentEnd].ToString(), SipSyntax.Unquote(s[textStart..textEnd].ToString()));
        return true;
    }

    public static bool TryParseList(string value, List<WarningHeader> into) =>
        SipSyntax.TryParseEach(value, into, TryParse);

    public override string ToString() => $"{Code:D3} {Agent} {SipSyntax.Quote(Text)}";
}
