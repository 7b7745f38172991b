using System.Diagnostics.CodeAnalysis;

namespace Trunk.Sip.Messages;

/// <summary><c>CSeq: number method</c> (RFC 3261 §20.16); the number must be below 2^31 (§8.1.1.5).</summary>
public sealed record CSeqHeader(long Number, string Method)
{
    public const long MaxNumber = int.MaxValue;

    public static bool TryParse(ReadOnlySpan<char> s, [NotNullWhen(true)] out CSeqHeader? cseq)
    {
        cseq = null;
        var pos = SipSyntax.SkipWhitespace(s, 0);
        var start = pos;
        long number = 0;
        while (pos < s.Length && char.IsAsciiDigit(s[pos]))
        {
            number = (number * 10) + (s[pos] - '0');
            if (number > MaxNumber)
            {
                return false;
            }

            pos++;
        }

        var methodStart = SipSyntax.SkipWhitespace(s, pos);
        if (pos == start || methodStart == pos)
        {
            return false;
        }

        var methodEnd = SipSyntax.ReadToken(s, methodStart);
        if (methodEnd == methodStart || SipSyntax.SkipWhitespace(s, methodEnd) != s.Length)
        {
            return false;
        }

        cseq = new CSeqHeader(number, SipMethod.Intern(s[methodStart..methodEnd]));
        return true;
    }

    public override string ToString() => $"{Number} {Method}";
}
