using System.Diagnostics.CodeAnalysis;

namespace Trunk.Sip.Messages;

/// <summary><c>Refer-Sub: true|false</c> (RFC 4488 §4): false asks for no implicit subscription.</summary>
public sealed record ReferSubHeader(bool Subscribe, SipParameters Parameters)
{
    public static bool TryParse(ReadOnlySpan<char> s, [NotNullWhen(true)] out ReferSubHeader? header)
    {
        header = null;
        var start = SipSyntax.SkipWhitespace(s, 0);
        var end = SipSyntax.ReadToken(s, start);
        var word = s[start..end];
        var isTrue = word.Equals("true", StringComparison.OrdinalIgnoreCase);
        if ((!isTrue && !word.Equals("false", StringComparison.OrdinalIgnoreCase)) || !SipSyntax.TryParseParameters(s, end, out var parameters))
        {
            return false;
        }

        header = new ReferSubHeader(isTrue, parameters);
        return true;
    }

    public override string ToString() => (Subscribe ? "true" : "false") + Parameters;
}
